/**
 * The part of the `electron` module the main process uses, as narrow interfaces. The real
 * module is passed in by index.ts (and the compiler checks that it fits); the tests pass a
 * hand-written fake. Nothing here imports electron at run time.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  readonly id: number;
  on(event: "will-navigate", listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: "will-attach-webview", listener: (event: PreventableEvent) => void): unknown;
  on(event: "render-process-gone", listener: (event: unknown, details: { reason: string }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: "deny" }): void;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadFile(path: string): Promise<void>;
  on(event: "close", listener: (event: PreventableEvent) => void): unknown;
  on(event: "closed", listener: () => void): unknown;
  once(event: "ready-to-show", listener: () => void): unknown;
  show(): void;
  destroy(): void;
  isDestroyed(): boolean;
}

/** The security-relevant options the window is created with (a subset of Electron's). */
export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: boolean;
    sandbox: boolean;
    nodeIntegration: boolean;
    nodeIntegrationInWorker: boolean;
    nodeIntegrationInSubFrames: boolean;
    webSecurity: boolean;
    allowRunningInsecureContent: boolean;
    experimentalFeatures: boolean;
    webviewTag: boolean;
    navigateOnDragDrop: boolean;
    safeDialogs: boolean;
    spellcheck: boolean;
    disableBlinkFeatures: string;
  };
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string } | null;
}

/** A desktop notification (Electron's main-process `Notification`). */
export interface NotificationLike {
  show(): void;
  on(event: "click", listener: () => void): unknown;
}

export interface NotificationConstructorLike {
  new (options: { title: string; body: string }): NotificationLike;
  isSupported(): boolean;
}

export interface ElectronModule {
  app: {
    whenReady(): Promise<unknown>;
    on(event: "before-quit", listener: (event: PreventableEvent) => void): unknown;
    on(event: "window-all-closed", listener: () => void): unknown;
    on(event: "web-contents-created", listener: (event: unknown, contents: WebContentsLike) => void): unknown;
    quit(): void;
    exit(code?: number): void;
    getPath(name: "userData"): string;
    enableSandbox(): void;
  };
  BrowserWindow: new (options: WindowOptions) => BrowserWindowLike;
  /** Keeps the display awake while a session plays. */
  powerSaveBlocker: {
    start(type: "prevent-display-sleep"): number;
    stop(id: number): void;
  };
  Notification: NotificationConstructorLike;
  ipcMain: {
    handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
    removeHandler(channel: string): void;
  };
  session: {
    defaultSession: {
      setPermissionRequestHandler(
        handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
      ): void;
      setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
    };
  };
}
