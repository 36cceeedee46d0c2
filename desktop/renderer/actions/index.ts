/**
 * The actions the views receive: every change a person can make goes through one of these, and
 * each changes the state only through the store. Views call them and never touch the state.
 */
import type { Screen } from "../state.ts";
import type { ActionContext } from "./context.ts";
import { DeviceActions } from "./devices.ts";
import { EditorActions } from "./editor.ts";
import { LibraryActions } from "./library.ts";
import { PatternFileActions } from "./pattern-file.ts";
import { SessionActions } from "./session.ts";
import { SettingsActions } from "./settings.ts";
import { SetupActions } from "./setup.ts";
import { ToolActions } from "./tools.ts";

export interface NavActions {
  go(screen: Screen): void;
  /** Opens or closes the compact navigation on a phone. */
  toggleMenu(): void;
}

export interface Actions {
  readonly nav: NavActions;
  readonly library: LibraryActions;
  readonly setup: SetupActions;
  readonly session: SessionActions;
  readonly devices: DeviceActions;
  readonly tools: ToolActions;
  readonly editor: EditorActions;
  readonly files: PatternFileActions;
  readonly settings: SettingsActions;
  /** What a screen loads when it is shown (the router calls it). */
  enter(screen: Screen): void;
}

export function createActions(ctx: ActionContext): Actions {
  const library = new LibraryActions(ctx);
  const devices = new DeviceActions(ctx);
  const settings = new SettingsActions(ctx);
  const editor = new EditorActions(ctx, library);
  return {
    nav: {
      go: (screen) => ctx.go(screen),
      toggleMenu: () => ctx.store.update((state) => ({ menuOpen: !state.menuOpen })),
    },
    library,
    setup: new SetupActions(ctx),
    session: new SessionActions(ctx, devices, settings),
    devices,
    tools: new ToolActions(ctx),
    editor,
    files: new PatternFileActions(ctx, editor),
    settings,
    enter(screen) {
      if (screen === "devices") void devices.refresh();
      if (screen === "history" || screen === "settings") void settings.refreshHistory();
      if (screen === "library") void library.refresh();
      if (screen === "editor") editor.validate(ctx.store.state.editor.draft);
    },
  };
}
