/**
 * The app window's options and the rules every web contents lives by: no Node in the page,
 * a sandboxed renderer behind context isolation, no navigation, no new windows, no webviews,
 * no permissions. The page's own CSP (desktop/renderer/index.html) forbids remote content.
 */
import type { PreventableEvent, WebContentsLike, WindowOptions } from "./electron-api.ts";

/** The main window's options; `preload` must be an absolute path. */
export function windowOptions(preload: string): WindowOptions {
  return {
    width: 1200,
    height: 860,
    minWidth: 420,
    minHeight: 560,
    show: false,
    title: "Scalp massager",
    backgroundColor: "#f6f4ef",
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** Denies navigation, new windows and webviews in a web contents. */
export function lockDown(contents: WebContentsLike): void {
  contents.on("will-navigate", (event: PreventableEvent) => event.preventDefault());
  contents.on("will-attach-webview", (event: PreventableEvent) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
}
