/**
 * The pattern editor: the draft and its validation and preview, loading, saving (or a copy when
 * the id is a built-in's), deleting with a confirmation and an undo until the next save.
 */
import { ErrorCode } from "../../../protocol/errors.ts";
import { type PatternInput, PatternSchema } from "../../../protocol/pattern.ts";
import { ApiCallError } from "../api/call-error.ts";
import { MAX_ID_LENGTH, PREVIEW_MINUTES } from "../limits.ts";
import { blankPattern, type EditorState, type UiState } from "../state.ts";
import { type ActionContext, failed } from "./context.ts";
import type { LibraryActions } from "./library.ts";

/** A copy's id is the original's and `-copy-NN`: room kept for it within the longest id. */
const COPY_SUFFIX_ROOM = "-copy-9999".length;

export class EditorActions {
  private previewTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: ActionContext,
    private readonly library: LibraryActions,
  ) {}

  private get editor(): EditorState {
    return this.ctx.store.state.editor;
  }

  private updateEditor(change: Partial<EditorState>, rest: Partial<UiState> = {}): void {
    this.ctx.store.update((state) => ({ ...rest, editor: { ...state.editor, ...change } }));
  }

  edit(draft: PatternInput, loadedId?: string): void {
    // A refused save's offer and a pending delete belong to the draft as it was.
    this.updateEditor({
      draft,
      loadedId: loadedId ?? this.editor.loadedId,
      copyOffer: undefined,
      confirmDelete: false,
    });
    this.validate(draft);
  }

  /** Loads a pattern (the person's own, or a built-in one to start a copy from) into the editor. */
  async load(id: string): Promise<void> {
    try {
      const { pattern, custom } = await this.ctx.api.getPattern(id);
      this.edit(pattern, custom ? id : undefined);
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }

  newPattern(): void {
    // A deleted pattern stays restorable across a new draft, until the next save.
    const undo = this.editor.undo;
    this.ctx.store.update({
      editor: { draft: blankPattern(), loadedId: undefined, errors: [], preview: undefined, ...(undo ? { undo } : {}) },
    });
    this.validate(this.editor.draft);
  }

  validate(draft: PatternInput): void {
    const parsed = PatternSchema.safeParse(draft);
    const errors = parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join(".") || "pattern"}: ${issue.message}`);
    this.updateEditor({ draft, errors });
    clearTimeout(this.previewTimer);
    if (!parsed.success) return;
    this.previewTimer = setTimeout(async () => {
      try {
        const preview = await this.ctx.api.previewPattern({ pattern: parsed.data, minutes: PREVIEW_MINUTES });
        this.ctx.charts.preview.setPlan(preview);
        this.updateEditor({ preview });
      } catch (error) {
        this.ctx.store.update(failed(error));
      }
    }, 200);
  }

  /**
   * Saves the draft, or a copy of it under `copyId`. A built-in's id is refused before asking
   * the server (which refuses it too): saving under it would change every routine that uses the
   * built-in, so the editor explains and offers a copy with an id of its own.
   */
  async save(copyId?: string): Promise<void> {
    const current = this.editor.draft;
    const draft = copyId ? { ...current, id: copyId, name: `${current.name} (copy)` } : current;
    const parsed = PatternSchema.safeParse(draft);
    if (!parsed.success) return this.validate(draft);
    const id = parsed.data.id;
    if (this.ctx.store.state.cards.some((card) => card.id === id && !card.custom)) return this.offerCopy(id);
    try {
      const saved = await this.ctx.api.savePattern(parsed.data);
      await this.library.refresh();
      // Saving ends the chance to undo a delete.
      this.updateEditor(
        { draft: parsed.data, loadedId: saved.id, copyOffer: undefined, undo: undefined },
        {
          notice: {
            kind: "info",
            message: `Saved "${saved.name}". It is in the library beside the built-in patterns.`,
          },
        },
      );
    } catch (error) {
      if (error instanceof ApiCallError && error.code === ErrorCode.InvalidPattern && /built-in/.test(error.message))
        return this.offerCopy(id);
      this.ctx.store.update(failed(error));
    }
  }

  private offerCopy(id: string): void {
    const taken = new Set(this.ctx.store.state.cards.map((card) => card.id));
    const base = `${id.slice(0, MAX_ID_LENGTH - COPY_SUFFIX_ROOM)}-copy`;
    let copy = base;
    for (let n = 2; taken.has(copy); n++) copy = `${base}-${n}`;
    this.updateEditor({
      copyOffer: {
        reason: `"${id}" is the id of a built-in pattern or routine: saving under it would replace the built-in in every routine that uses it.`,
        id: copy,
      },
    });
  }

  /** Asks first; once confirmed, deletes and keeps the pattern so it can be restored until the next save. */
  async delete(id: string, confirmed = false): Promise<void> {
    if (!confirmed) return this.updateEditor({ confirmDelete: true });
    try {
      const { pattern } = await this.ctx.api.getPattern(id);
      await this.ctx.api.deletePattern(id);
      await this.library.refresh();
      this.newPattern();
      this.updateEditor(
        { undo: pattern },
        { notice: { kind: "info", message: `Deleted "${pattern.name}". You can undo this until you save a pattern.` } },
      );
    } catch (error) {
      this.updateEditor({ confirmDelete: false });
      this.ctx.store.update(failed(error));
    }
  }

  cancelDelete(): void {
    this.updateEditor({ confirmDelete: false });
  }

  /** Puts the last deleted pattern back, as it was. */
  async undoDelete(): Promise<void> {
    const pattern = this.editor.undo;
    if (!pattern) return;
    try {
      await this.ctx.api.savePattern(pattern);
      await this.library.refresh();
      this.edit(pattern, pattern.id);
      this.updateEditor({ undo: undefined }, { notice: { kind: "info", message: `Restored "${pattern.name}".` } });
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }
}
