#!/usr/bin/env node
// The `massager` command: the JavaScript bundle bin/build-cli.js builds on the first run and
// again whenever the sources change (about 0.1 s to start), else the TypeScript sources through
// tsx (about 0.5 s): while another process builds, if the build fails, with MASSAGER_TSX=1, and
// with MASSAGER_DEBUG=1 (stack traces then name the .ts files). A fresh clone needs no build step.

// A signal while the sources load finds nothing running yet: say so in one line and exit 130.
// device/cli/signal-guard.ts takes over (and removes this handler) as soon as main.ts loads.
const ending =
  process.platform === "win32"
    ? ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]
    : ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
globalThis.massagerEarlySignalHandler = async (signal) => {
  try {
    // Synchronous: process.stderr may not exist yet, and process.exit() would drop a queued write.
    const { writeSync } = await import("node:fs");
    writeSync(2, `massager: stopped; no motor was running (${signal})\n`);
  } catch {}
  process.exit(130);
};
for (const signal of ending) process.on(signal, globalThis.massagerEarlySignalHandler);

let runCli;
if (!process.env.MASSAGER_TSX && !process.env.MASSAGER_DEBUG) {
  try {
    const { buildCli, loadCli } = await import("./build-cli.js");
    const built = await buildCli();
    if (built?.bundle) runCli = loadCli(built);
  } catch {
    // an unreadable or broken cache: the sources still run
  }
}
if (runCli === undefined) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ runCli } = await import("../device/cli/cli.ts"));
}
await runCli(process.argv);
