/**
 * The app window's options and the rules every web contents lives by: no Node in the page,
 * a sandboxed renderer behind context isolation, no navigation, no new windows, no webviews,
 * no permissions. The page's own CSP (desktop/renderer/index.html) forbids remote content.
 */
import type { BrowserWindowLike, ElectronModule, PreventableEvent, WebContentsLike } from "./electron-api.ts";

/**
 * Creates the main window; `preload` must be an absolute path. The options are written out
 * here as one literal, so a reader (and electronegativity) sees every security flag at the call.
 */
export function createMainWindow(BrowserWindow: ElectronModule["BrowserWindow"], preload: string): BrowserWindowLike {
  return new BrowserWindow({
    width: 1200,
    height: 860,
    minWidth: 420,
    minHeight: 560,
    show: false,
    title: "Scalp massager",
    backgroundColor: "#f6f4ef",
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed: the preload exposes one function per contract method and an event subscription, never ipcRenderer.
      preload, // eng-disable PRELOAD_JS_CHECK
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
      // Middle-click must not open links in new windows either.
      disableBlinkFeatures: "Auxclick",
    },
  });
}

/** Denies navigation, new windows and webviews in a web contents. */
export function lockDown(contents: WebContentsLike): void {
  contents.on("will-navigate", (event: PreventableEvent) => event.preventDefault());
  contents.on("will-attach-webview", (event: PreventableEvent) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
}
