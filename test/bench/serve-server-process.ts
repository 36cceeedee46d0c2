/**
 * `massager serve`'s server in a process of its own for serve.bench.ts, so its memory is its own:
 * the app core on the simulated massager behind startServer, with the request-rate limit raised
 * (the default, 50 a second per client address, would measure the limit, not the server). It
 * prints `{ origin, token }` as its first line and answers "rss" on the IPC channel.
 */
import { createToken } from "../../device/serve/token.ts";
import { startAppServer } from "../support/app-server.ts";

const send = process.send?.bind(process);
if (send === undefined) throw new Error("run me with fork(): I report over the IPC channel");

const token = createToken();
const app = await startAppServer({
  token,
  folder: "massager-serve-bench-",
  server: { limits: { requestsPerSecond: 1_000_000 } },
});
const { server } = app;
process.on("message", (message) => {
  if (message === "rss") send({ rss: process.memoryUsage().rss });
  if (message === "stop") {
    void app.close().then(() => process.exit(0));
  }
});
process.stdout.write(`${JSON.stringify({ origin: server.origin, token })}\n`);
