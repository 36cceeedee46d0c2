/**
 * The renderer's controller: holds the state, runs the actions the views call, and re-renders
 * on the next animation frame after any change. Talks to the Node side only through the Client.
 */
import { render } from "lit-html";
import type { AppEvent, Settings } from "../../device/app/contract.ts";
import type { LibraryCard } from "../../device/app/library.ts";
import { type Goal, type PatternInput, PatternSchema, PRESSURE_CAPS } from "../../protocol/pattern.ts";
import { ApiCallError, type Client } from "./api/client.ts";
import { LiveChart } from "./components/live-chart.ts";
import { DeviceActions } from "./device-actions.ts";
import { DeviceTools } from "./device-tools.ts";
import { Guide } from "./guidance/guide.ts";
import { SessionFlow } from "./sessions.ts";
import { blankPattern, initialState, type Screen, sessionRequest, type UiState } from "./state.ts";
import { view } from "./views/view.ts";
import { keepAwake } from "./wake-lock.ts";
import { WebReminders } from "./web-reminders.ts";

/** The scalp patterns want at least this long (the article: "at least 5 minutes"). */
export const SCALP_MINUTES = 5;

export class App {
  state: UiState = initialState();
  /** The live chart and the set-up and editor previews keep their canvases across renders. */
  readonly liveChart = new LiveChart("Vibration and rotation: planned and applied", true, { back: 60, ahead: 30 });
  readonly planChart = new LiveChart("The planned program", false);
  readonly previewChart = new LiveChart("Preview of the pattern", false);
  readonly sessions = new SessionFlow(this);
  readonly devices = new DeviceActions(this);
  readonly tools = new DeviceTools(this);
  readonly reminders = new WebReminders();
  private readonly guide = new Guide((cue) => this.set({ guideText: cue.text }));
  private frame = 0;
  private focusPending = false;
  private previewTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly client: Client,
    private readonly root: HTMLElement,
  ) {}

  async start(): Promise<void> {
    this.client.onEvent((event) => this.onEvent(event));
    this.client.onLink((up) => this.set({ linkUp: up }));
    window.addEventListener("keydown", (event) => this.onKey(event));
    window.addEventListener("hashchange", () => this.go(screenFromHash(), false));
    try {
      const [{ settings }, library, status, intensities] = await Promise.all([
        this.client.api.getSettings(),
        this.client.api.getLibrary(),
        this.client.api.getStatus(),
        this.client.api.getIntensities(),
      ]);
      this.applyTheme(settings.theme);
      this.reminders.update(settings.reminders);
      this.set({ settings, cards: library.cards, libraryProblems: library.problems, status, intensities });
      this.observe();
    } catch (error) {
      this.fail(error);
    }
    this.go(this.state.status?.session ? "live" : screenFromHash(), false);
  }

  /** Merges a change into the state and schedules a render. */
  set(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      render(view(this.state, this), this.root);
      if (this.focusPending) {
        this.focusPending = false;
        this.root.querySelector<HTMLElement>("h1")?.focus();
      }
    });
  }

  go(screen: Screen, push = true): void {
    if (push && window.location.hash !== `#${screen}`) history.pushState(null, "", `#${screen}`);
    this.focusPending = true;
    this.set({ screen, notice: undefined, menuOpen: false });
    if (screen === "devices") void this.devices.refresh();
    if (screen === "history" || screen === "settings") void this.refreshHistory();
    if (screen === "library") void this.refreshLibrary();
    if (screen === "editor") this.validateDraft(this.state.editor.draft);
  }

  fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof ApiCallError ? error.hint : undefined;
    this.set({ notice: { kind: "error", message, hint }, busy: false });
  }

  // --- start and library ---

  chooseGoal(goal: Goal): void {
    this.set({ goal, recommendation: undefined });
  }

  chooseMinutes(minutes: number): void {
    if (Number.isFinite(minutes))
      this.set({ minutesAvailable: Math.min(120, Math.max(1, minutes)), recommendation: undefined });
  }

  async recommend(): Promise<void> {
    try {
      const recommendation = await this.client.api.recommend({
        goal: this.state.goal,
        minutes: this.state.minutesAvailable,
      });
      this.set({ recommendation, notice: undefined });
      this.root.querySelector<HTMLElement>("#recommendation h2")?.focus();
    } catch (error) {
      this.fail(error);
    }
  }

  async refreshLibrary(): Promise<void> {
    try {
      const library = await this.client.api.getLibrary();
      this.set({ cards: library.cards, libraryProblems: library.problems });
    } catch (error) {
      this.fail(error);
    }
  }

  // --- set up ---

  /**
   * A recommendation is set up exactly as recommended (`reason` and its variant's `stepMinutes`
   * given); a library card at its own length.
   */
  async setUp(card: LibraryCard, minutes: number, reason?: string, stepMinutes?: number[]): Promise<void> {
    const settings = this.state.settings;
    const wanted = card.goal === "hair" && !reason ? Math.max(minutes, SCALP_MINUTES) : minutes;
    const setup = {
      card,
      minutes: Math.min(Math.round(wanted * 10) / 10, settings.maxSessionMinutes),
      intensity: Math.min(this.state.intensities[card.id] ?? 60, this.maxIntensity(card)),
      plan: undefined,
      ...(reason ? { reason } : {}),
      ...(stepMinutes ? { stepMinutes } : {}),
    };
    this.set({ setup, startFailure: undefined });
    this.go("setup");
    await this.replan();
  }

  /** The highest intensity this card allows: the person's maximum and its pressure's cap. */
  maxIntensity(card: LibraryCard): number {
    return Math.min(this.state.settings.maxIntensity, Math.round(PRESSURE_CAPS[card.pressure] * 100));
  }

  changeSetup(change: { minutes?: number; intensity?: number }): void {
    const setup = this.state.setup;
    if (!setup) return;
    const minutes = change.minutes ?? setup.minutes;
    const intensity = change.intensity ?? setup.intensity;
    if (!Number.isFinite(minutes) || !Number.isFinite(intensity)) return;
    this.set({
      setup: {
        ...setup,
        minutes: Math.min(this.state.settings.maxSessionMinutes, Math.max(0.5, minutes)),
        intensity: Math.min(this.maxIntensity(setup.card), Math.max(1, Math.round(intensity))),
      },
    });
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => void this.replan(), 150);
  }

  private planRequest = 0;

  private async replan(): Promise<void> {
    const setup = this.state.setup;
    if (!setup) return;
    // Only the answer to the latest request counts: an earlier one may arrive after it.
    const request = ++this.planRequest;
    try {
      const plan = await this.client.api.planSession(sessionRequest(setup));
      if (request !== this.planRequest || this.state.setup?.card.id !== setup.card.id) return;
      this.planChart.setPlan(plan.timeline);
      this.set({ setup: { ...this.state.setup, plan } });
    } catch (error) {
      this.fail(error);
    }
  }

  // --- live session ---

  startSession(): Promise<void> {
    return this.sessions.start();
  }

  async togglePause(): Promise<void> {
    const session = this.state.status?.session;
    if (!session) return;
    try {
      if (session.status === "paused") await this.client.api.resumeSession();
      else if (session.status === "playing") await this.client.api.pauseSession();
    } catch (error) {
      this.fail(error);
    }
  }

  async stop(): Promise<void> {
    try {
      await this.client.api.stopSession();
    } catch (error) {
      // The soft stop failed: cut the outputs at once.
      await this.client.api.emergencyStop().catch(() => undefined);
      this.fail(error);
    }
  }

  private onKey(event: KeyboardEvent): void {
    const session = this.state.status?.session;
    if (!session) return;
    if (event.key === "Escape") {
      event.preventDefault();
      void this.stop();
      return;
    }
    const target = event.target as HTMLElement | null;
    const typing = target?.closest("input, textarea, select, button, a");
    if (event.key === " " && !typing && this.state.screen === "live") {
      event.preventDefault();
      void this.togglePause();
    }
    // Up and Down change the intensity anywhere but in a field that uses the arrows itself.
    const delta = event.key === "ArrowUp" ? 5 : event.key === "ArrowDown" ? -5 : 0;
    if (delta && !target?.closest("input, textarea, select")) {
      event.preventDefault();
      void this.sessions.changeIntensity(delta);
    }
  }

  private onEvent(event: AppEvent): void {
    if (event.type === "telemetry") {
      this.liveChart.addSample(event.point);
      return;
    }
    if (event.type === "motorTest" || event.type === "flash") {
      this.tools.onEvent(event);
      return;
    }
    if (event.type === "settings") {
      this.reminders.update(event.settings.reminders);
      this.applyTheme(event.settings.theme);
      this.set({ settings: event.settings });
      return;
    }
    // Motor-test and flash progress belong to the Device screen's tools, not to the session.
    if (event.type !== "status") return;
    const wasLive = this.state.status?.session !== undefined;
    this.set({ status: event.status });
    this.observe();
    if (!wasLive && event.status.session && this.state.screen !== "live") {
      // A session started elsewhere (another browser, the CLI): show it.
      void this.adoptSession();
    }
    if (wasLive && !event.status.session) void this.refreshHistory();
  }

  /** The guide's cues and the screen's wake lock follow the session. */
  private observe(): void {
    const status = this.state.status;
    if (!status) return;
    this.guide.observe(status, this.state.settings);
    if (!window.massager) keepAwake(status.session !== undefined);
  }

  private async adoptSession(): Promise<void> {
    const session = this.state.status?.session;
    if (!session) return;
    try {
      // The request it was started with: the same program, a recommendation's variant included.
      const plan = await this.client.api.planSession(session.request);
      this.liveChart.setPlan(plan.timeline);
    } catch {
      // the chart stays empty; the session controls still work
    }
    this.go("live");
  }

  // --- history and settings ---

  async refreshHistory(): Promise<void> {
    try {
      this.set({ history: await this.client.api.getHistory() });
    } catch (error) {
      this.fail(error);
    }
  }

  async saveSettings(settings: Settings, tell = true): Promise<void> {
    try {
      const saved = await this.client.api.saveSettings(settings);
      this.applyTheme(saved.theme);
      this.reminders.update(saved.reminders);
      this.set({ settings: saved, ...(tell ? { notice: { kind: "info" as const, message: "Settings saved." } } : {}) });
    } catch (error) {
      this.fail(error);
    }
  }

  applyTheme(theme: Settings["theme"]): void {
    document.documentElement.dataset.theme = theme;
    for (const chart of [this.liveChart, this.planChart, this.previewChart]) chart.restyle();
  }

  // --- pattern editor ---

  editDraft(draft: PatternInput, loadedId?: string): void {
    const editor = { ...this.state.editor, draft, loadedId: loadedId ?? this.state.editor.loadedId };
    // A refused save's offer and a pending delete belong to the draft as it was.
    this.set({ editor: { ...editor, copyOffer: undefined, confirmDelete: false } });
    this.validateDraft(draft);
  }

  /** Loads a pattern (the person's own, or a built-in one to start a copy from) into the editor. */
  async editPattern(id: string): Promise<void> {
    try {
      const { pattern, custom } = await this.client.api.getPattern(id);
      this.editDraft(pattern, custom ? id : undefined);
    } catch (error) {
      this.fail(error);
    }
  }

  newPattern(): void {
    // A deleted pattern stays restorable across a new draft, until the next save.
    const undo = this.state.editor.undo;
    this.set({
      editor: { draft: blankPattern(), loadedId: undefined, errors: [], preview: undefined, ...(undo ? { undo } : {}) },
    });
    this.validateDraft(this.state.editor.draft);
  }

  validateDraft(draft: PatternInput): void {
    const parsed = PatternSchema.safeParse(draft);
    const errors = parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join(".") || "pattern"}: ${issue.message}`);
    this.set({ editor: { ...this.state.editor, draft, errors } });
    clearTimeout(this.previewTimer);
    if (!parsed.success) return;
    this.previewTimer = setTimeout(async () => {
      try {
        const preview = await this.client.api.previewPattern({ pattern: parsed.data, minutes: 0.5 });
        this.previewChart.setPlan(preview);
        this.set({ editor: { ...this.state.editor, preview } });
      } catch (error) {
        this.fail(error);
      }
    }, 200);
  }

  /**
   * Saves the draft, or a copy of it under `copyId`. A built-in's id is refused before asking
   * the server (which refuses it too): saving under it would change every routine that uses the
   * built-in, so the editor explains and offers a copy with an id of its own.
   */
  async savePattern(copyId?: string): Promise<void> {
    const current = this.state.editor.draft;
    const draft = copyId ? { ...current, id: copyId, name: `${current.name} (copy)` } : current;
    const parsed = PatternSchema.safeParse(draft);
    if (!parsed.success) return this.validateDraft(draft);
    const id = parsed.data.id;
    if (this.state.cards.some((card) => card.id === id && !card.custom)) return this.offerCopy(id);
    try {
      const saved = await this.client.api.savePattern(parsed.data);
      await this.refreshLibrary();
      this.set({
        // Saving ends the chance to undo a delete.
        editor: { ...this.state.editor, draft: parsed.data, loadedId: saved.id, copyOffer: undefined, undo: undefined },
        notice: { kind: "info", message: `Saved "${saved.name}". It is in the library beside the built-in patterns.` },
      });
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 601 && /built-in/.test(error.message))
        return this.offerCopy(id);
      this.fail(error);
    }
  }

  private offerCopy(id: string): void {
    const taken = new Set(this.state.cards.map((card) => card.id));
    const base = `${id.slice(0, 70)}-copy`;
    let copy = base;
    for (let n = 2; taken.has(copy); n++) copy = `${base}-${n}`;
    this.set({
      editor: {
        ...this.state.editor,
        copyOffer: {
          reason: `"${id}" is the id of a built-in pattern or routine: saving under it would replace the built-in in every routine that uses it.`,
          id: copy,
        },
      },
    });
  }

  /** Asks first; once confirmed, deletes and keeps the pattern so it can be restored until the next save. */
  async deletePattern(id: string, confirmed = false): Promise<void> {
    if (!confirmed) return this.set({ editor: { ...this.state.editor, confirmDelete: true } });
    try {
      const { pattern } = await this.client.api.getPattern(id);
      await this.client.api.deletePattern(id);
      await this.refreshLibrary();
      this.newPattern();
      this.set({
        editor: { ...this.state.editor, undo: pattern },
        notice: { kind: "info", message: `Deleted "${pattern.name}". You can undo this until you save a pattern.` },
      });
    } catch (error) {
      this.set({ editor: { ...this.state.editor, confirmDelete: false } });
      this.fail(error);
    }
  }

  cancelDelete(): void {
    this.set({ editor: { ...this.state.editor, confirmDelete: false } });
  }

  /** Puts the last deleted pattern back, as it was. */
  async undoDelete(): Promise<void> {
    const pattern = this.state.editor.undo;
    if (!pattern) return;
    try {
      await this.client.api.savePattern(pattern);
      await this.refreshLibrary();
      this.editDraft(pattern, pattern.id);
      this.set({
        editor: { ...this.state.editor, undo: undefined },
        notice: { kind: "info", message: `Restored "${pattern.name}".` },
      });
    } catch (error) {
      this.fail(error);
    }
  }

  async importPattern(file: File): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      return this.set({
        notice: {
          kind: "error",
          message: `${file.name} is not a JSON file.`,
          hint: "export a pattern from this app and import that file",
        },
      });
    }
    const parsed = PatternSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.set({
        notice: {
          kind: "error",
          message: `${file.name}: ${issue?.path.join(".") || "pattern"}: ${issue?.message ?? "invalid"}`,
          hint: "fix the file and import it again",
        },
      });
    }
    this.editDraft(parsed.data, undefined);
    this.set({ notice: { kind: "info", message: `Imported ${file.name}. Check it, then save.` } });
  }

  exportPattern(): void {
    const parsed = PatternSchema.safeParse(this.state.editor.draft);
    if (!parsed.success) {
      this.validateDraft(this.state.editor.draft);
      return;
    }
    const blob = new Blob([`${JSON.stringify(parsed.data, null, 2)}\n`], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${parsed.data.id}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }
}

function screenFromHash(): Screen {
  const name = window.location.hash.slice(1);
  const allowed: Screen[] = ["start", "library", "devices", "editor", "history", "settings", "safety", "live"];
  return (allowed as string[]).includes(name) ? (name as Screen) : "start";
}
