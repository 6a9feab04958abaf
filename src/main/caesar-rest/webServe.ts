/**
 * `cirasa serve --web`: one port for the caesar-rest API (its own bearer-token auth, `/health`) and the app's
 * browser mode (renderer + contract API, protected by the app server's access token). The app's HTTP server
 * asks the caesar-rest handler first and serves everything else itself.
 */
import { createServices } from '../app/createServices';
import { bindContract } from '../transport/bindContract';
import { startHttpServer } from '../transport/http';
import { createCaesarRestHandler, type RunningCaesarRest } from './server';
import { openCaesarRestService, type ServeOptions } from './service';

export interface WebServeOptions extends ServeOptions {
  /** The app's data folder (default: the per-user one, or $CIRASA_DATA_DIR). */
  webDataDir?: string;
  /** The app's access token (null: none, loopback only). */
  webToken: string | null;
  /** Built renderer (dist/renderer). */
  staticDir: string;
}

export async function serveWithWeb(o: WebServeOptions): Promise<RunningCaesarRest & { loginUrl: string }> {
  const svc = await openCaesarRestService(o);
  const services = await createServices({ mode: 'web', ...(o.webDataDir ? { dataDir: o.webDataDir } : {}) }).catch(async (err: unknown) => {
    await svc.dispose();
    throw err;
  });
  try {
    const http = await startHttpServer({
      host: o.host ?? '127.0.0.1', port: o.port ?? 8080, token: o.webToken, dispatch: bindContract(services.handlers), events: services.events,
      tiles: services.images, overlays: services.catalogues ?? undefined, staticDir: o.staticDir, uploadDir: services.paths.uploadDir,
      // the app owns `/`: no caesar-rest test page
      delegate: createCaesarRestHandler({ ...svc.handler, rootPage: false }),
    });
    return {
      url: http.origin, port: http.port, loginUrl: http.loginUrl,
      async close() {
        await http.close();
        await services.dispose();
        await svc.dispose();
      },
    };
  } catch (err) {
    await services.dispose();
    await svc.dispose();
    throw err;
  }
}
