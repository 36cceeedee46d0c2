/**
 * A hand-written fake of the parts of `electron` the main process uses (desktop/main/
 * electron-api.ts). It records what the app asks of it and lets a test play the part of
 * Electron: fire window and app events, and invoke IPC handlers as a given sender would.
 */
import { EventEmitter } from "node:events";
import type {
  BrowserWindowLike,
  ElectronModule,
  IpcInvokeEventLike,
  WebContentsLike,
  WindowOptions,
} from "../../desktop/main/electron-api.ts";

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextId = 1;

export class FakeWebContents extends EventEmitter implements WebContentsLike {
  readonly id = nextId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: "deny" }) | undefined;
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: "deny" }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter implements BrowserWindowLike {
  static readonly created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedFile: string | undefined;
  shown = false;
  destroyed = false;

  constructor(readonly options: WindowOptions) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadFile(path: string): Promise<void> {
    this.loadedFile = path;
  }
  show(): void {
    this.shown = true;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit("closed");
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** What Electron does when the person clicks the close button: `close`, and unless prevented, destroy. */
  userClose(): FakeEvent {
    const event = new FakeEvent();
    this.emit("close", event);
    if (!event.defaultPrevented) this.destroy();
    return event;
  }
}

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls a handler as a renderer would, from `sender`. */
  async invoke(channel: string, sender: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(sender, ...args);
  }
}

export class FakeApp extends EventEmitter {
  sandboxEnabled = false;
  quitCalls = 0;
  exitCode: number | undefined;
  constructor(private readonly userData: string) {
    super();
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  getPath(_name: "userData"): string {
    return this.userData;
  }
  /** Like Electron: `before-quit`, and unless prevented, the app ends. */
  quit(): void {
    this.quitCalls++;
    const event = new FakeEvent();
    this.emit("before-quit", event);
    if (!event.defaultPrevented) this.exitCode ??= 0;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}

/** Records what the app keeps awake. */
export class FakePowerSaveBlocker {
  private next = 1;
  readonly active = new Set<number>();
  start(_type: "prevent-display-sleep"): number {
    const id = this.next++;
    this.active.add(id);
    return id;
  }
  stop(id: number): void {
    this.active.delete(id);
  }
}

/** Records every notification shown. */
export class FakeNotification extends EventEmitter {
  static readonly shown: { title: string; body: string }[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this.options);
  }
}

export interface FakeElectron extends ElectronModule {
  app: FakeApp;
  ipcMain: FakeIpcMain;
  powerSaveBlocker: FakePowerSaveBlocker;
  permissionRequest:
    | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
    | undefined;
  permissionCheck: ((contents: unknown, permission: string) => boolean) | undefined;
}

/** A fresh fake electron module whose userData folder is `userData`. */
export function createFakeElectron(userData: string): FakeElectron {
  const fake: FakeElectron = {
    app: new FakeApp(userData),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    powerSaveBlocker: new FakePowerSaveBlocker(),
    Notification: FakeNotification,
    permissionRequest: undefined,
    permissionCheck: undefined,
    session: {
      defaultSession: {
        setPermissionRequestHandler(handler) {
          fake.permissionRequest = handler;
        },
        setPermissionCheckHandler(handler) {
          fake.permissionCheck = handler;
        },
      },
    },
  };
  return fake;
}
