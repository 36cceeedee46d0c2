/**
 * `massager serve`'s server in a test or a bench, as the CLI wires it: an app core on the
 * simulated massager (unless told otherwise) in a fresh data folder behind startServer on a free
 * loopback port. close() stops the motors, then the server, then removes the folder.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppApi, createAppApi } from "../../device/app/app-api.ts";
import { AppCore, type AppCoreOptions } from "../../device/app/app-core.ts";
import { createConnector } from "../../device/app/connect.ts";
import { ensureRendererBuilt, RENDERER_OUT_DIR } from "../../device/serve/renderer-build.ts";
import { type RunningServer, type ServeOptions, startServer } from "../../device/serve/server.ts";

export interface AppServer {
  core: AppCore;
  server: RunningServer;
  /** The data folder. */
  dir: string;
  close(): Promise<void>;
}

export interface AppServerOptions {
  token: string;
  /** Prefix of the temporary data folder's name. */
  folder: string;
  core?: Partial<Omit<AppCoreOptions, "dataDir">>;
  /** Wraps the API the server offers (to watch the calls that reach it). */
  api?: (api: AppApi) => AppApi;
  server?: Partial<Omit<ServeOptions, "api" | "events" | "staticDir" | "token">>;
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  await ensureRendererBuilt();
  const dir = await mkdtemp(join(tmpdir(), options.folder));
  const core = new AppCore({
    dataDir: dir,
    connect: createConnector(),
    listDevices: async () => ({ choices: [], problems: [] }),
    ...options.core,
  });
  await core.init();
  const api = createAppApi(core);
  const server = await startServer({
    api: options.api ? options.api(api) : api,
    events: core,
    staticDir: RENDERER_OUT_DIR,
    token: options.token,
    host: "127.0.0.1",
    port: 0,
    // As serve does: the data folder's path never reaches a client.
    privatePaths: [dir],
    ...options.server,
  });
  return {
    core,
    server,
    dir,
    async close() {
      await core.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
