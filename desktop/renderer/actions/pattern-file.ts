/** Importing a pattern from a JSON file into the editor, and exporting the draft as one. */
import { PatternSchema } from "../../../protocol/pattern.ts";
import type { ActionContext } from "./context.ts";
import type { EditorActions } from "./editor.ts";

export class PatternFileActions {
  constructor(
    private readonly ctx: ActionContext,
    private readonly editor: EditorActions,
  ) {}

  async importFile(file: File): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      return this.ctx.store.update({
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
      return this.ctx.store.update({
        notice: {
          kind: "error",
          message: `${file.name}: ${issue?.path.join(".") || "pattern"}: ${issue?.message ?? "invalid"}`,
          hint: "fix the file and import it again",
        },
      });
    }
    this.editor.edit(parsed.data, undefined);
    this.ctx.store.update({ notice: { kind: "info", message: `Imported ${file.name}. Check it, then save.` } });
  }

  exportFile(): void {
    const draft = this.ctx.store.state.editor.draft;
    const parsed = PatternSchema.safeParse(draft);
    if (!parsed.success) {
      this.editor.validate(draft);
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
