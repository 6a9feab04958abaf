import type { CliCommand } from './io';

export const webCommand: CliCommand = {
  summary: 'serve the app to a browser over HTTP (loopback, token-protected)',
  async run(argv, io) {
    const { runServer } = await import('../server');
    const started = await runServer(argv, io);
    if (typeof started === 'number') return started;
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        void started.stop().then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
