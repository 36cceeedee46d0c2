/**
 * `massager serve`'s server in a process of its own for serve.bench.ts, so its memory is its own:
 * the app core on the simulated massager behind startServer, with the request-rate limit raised
 * (the default, 50 a second per client address, would measure the limit, not the server). It
 * prints `{ origin, token }` as its first line and answers "rss" on the IPC channel.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { createConnector } from "../../device/app/connect.ts";
import { ensureRendererBuilt, RENDERER_OUT_DIR } from "../../device/serve/renderer-build.ts";
import { startServer } from "../../device/serve/server.ts";
import { createToken } from "../../device/serve/token.ts";

const send = process.send?.bind(process);
if (send === undefined) throw new Error("run me with fork(): I report over the IPC channel");

await ensureRendererBuilt();
const dir = await mkdtemp(join(tmpdir(), "massager-serve-bench-"));
const core = new AppCore({
  dataDir: dir,
  connect: createConnector(),
  listDevices: async () => ({ choices: [], problems: [] }),
});
await core.init();
const token = createToken();
const server = await startServer({
  api: createAppApi(core),
  events: core,
  staticDir: RENDERER_OUT_DIR,
  token,
  host: "127.0.0.1",
  port: 0,
  limits: { requestsPerSecond: 1_000_000 },
});
process.on("message", (message) => {
  if (message === "rss") send({ rss: process.memoryUsage().rss });
  if (message === "stop") {
    void core
      .close()
      .then(() => server.close())
      .then(() => rm(dir, { recursive: true, force: true }))
      .then(() => process.exit(0));
  }
});
process.stdout.write(`${JSON.stringify({ origin: server.origin, token })}\n`);
