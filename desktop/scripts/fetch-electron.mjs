// `npm install`'s postinstall: fetches the Electron binary where the network allows it, and never
// fails the install where it does not. electron's own install script is not approved
// (`"allowScripts": { "electron": false }`): npm would stop the whole install when its download
// fails. Plain JavaScript, so it runs before anything is built. Set ELECTRON_SKIP_BINARY_DOWNLOAD=1
// to skip the attempt.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const electronDir = join(root, "node_modules/electron");
/** A download slower than this is left for `npm start` to try again. */
const TIMEOUT_MS = 180_000;

function installed() {
  const pathFile = join(electronDir, "path.txt");
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, "dist", readFileSync(pathFile, "utf8").trim()));
}

const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD;
if (!existsSync(join(electronDir, "install.js"))) {
  // electron is a devDependency: absent from a production install.
} else if (installed()) {
  // Already there.
} else if (skip && skip !== "0" && skip !== "false") {
  process.stdout.write(
    "massager: skipped the Electron download (ELECTRON_SKIP_BINARY_DOWNLOAD); npm start uses your browser.\n",
  );
} else {
  const result = spawnSync(process.execPath, [join(electronDir, "install.js")], {
    cwd: electronDir,
    stdio: ["ignore", "ignore", "pipe"],
    timeout: TIMEOUT_MS,
  });
  if (result.status === 0 && installed()) {
    process.stdout.write("massager: fetched the Electron binary; npm start opens the desktop app.\n");
  } else {
    const why = String(result.stderr ?? "").match(/(\w*Error:[^\n]*)/)?.[1] ?? (result.error?.message || "no network?");
    process.stdout.write(
      `massager: the Electron binary could not be downloaded (${why.trim()}); everything else is installed.\n` +
        "  npm start opens the app in your browser instead; to get the window later: node node_modules/electron/install.js\n",
    );
  }
}
