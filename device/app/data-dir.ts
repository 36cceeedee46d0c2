/** Where the app keeps settings, history and the person's patterns when Electron does not say. */
import { homedir } from "node:os";
import { join } from "node:path";

/** `$XDG_CONFIG_HOME/massager`, `%APPDATA%\massager` on Windows, `~/Library/Application Support/massager` on macOS. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === "win32" && env.APPDATA) return join(env.APPDATA, "massager");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "massager");
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "massager");
}
