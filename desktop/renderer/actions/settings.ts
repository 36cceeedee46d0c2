/** Settings and history: saving settings, and following them (theme, reminders) wherever they were saved. */
import type { Settings } from "../../../device/app/contract.ts";
import { WebReminders } from "../web-reminders.ts";
import { type ActionContext, failed } from "./context.ts";

export class SettingsActions {
  private readonly reminders = new WebReminders();

  constructor(private readonly ctx: ActionContext) {}

  /** Settings as loaded, saved, or saved by another window: the theme and the reminders follow at once. */
  apply(settings: Settings): void {
    this.applyTheme(settings.theme);
    this.reminders.update(settings.reminders);
    this.ctx.store.update({ settings });
  }

  async save(settings: Settings, tell = true): Promise<void> {
    try {
      const saved = await this.ctx.api.saveSettings(settings);
      this.apply(saved);
      if (tell) this.ctx.store.update({ notice: { kind: "info", message: "Settings saved." } });
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }

  async refreshHistory(): Promise<void> {
    try {
      this.ctx.store.update({ history: await this.ctx.api.getHistory() });
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }

  private applyTheme(theme: Settings["theme"]): void {
    document.documentElement.dataset.theme = theme;
    this.ctx.charts.restyle();
  }
}
