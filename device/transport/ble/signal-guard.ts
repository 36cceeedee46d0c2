/**
 * noble and bleno install a SIGINT handler that calls process.exit(1) when it is the last
 * one, which would cut the CLI's own Ctrl-C handling (emergency stop, then exit) short.
 * The CLI owns signals, so the handlers a library adds while `init` runs are taken off again.
 */
export function withoutLibrarySignalHandlers<T>(init: () => T): T {
  const before = new Set(process.listeners("SIGINT"));
  try {
    return init();
  } finally {
    for (const listener of process.listeners("SIGINT")) {
      if (!before.has(listener)) process.removeListener("SIGINT", listener);
    }
  }
}
