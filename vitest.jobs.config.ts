import { defineConfig } from 'vitest/config';

/**
 * `npm run test:jobs`: job-backend integration tests against real daemons (Slurm + slurmrestd + sshd on loopback)
 * that globalSetup starts with scripts/test-infra and stops afterwards. Needs root (CI). Files run one at a time:
 * fault tests stop and restart slurmrestd.
 */
export default defineConfig({
  test: {
    include: ['test/jobs/**/*.test.ts'],
    globalSetup: ['test/jobs/globalSetup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
