/** Where the repository and the `massager` command are, for suites that run them as a user would. */
import { fileURLToPath } from "node:url";

/** The repository's root folder, with a trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `bin/massager.js`: the command as `npx massager` runs it. */
export const MASSAGER_BIN = fileURLToPath(new URL("../../bin/massager.js", import.meta.url));
