/**
 * The pattern editor in Chromium against `massager serve`: a pattern saved under a built-in's id
 * (`scalp-circles`) is refused with the reason and an offer to save it as a copy, which works;
 * Delete asks first, and a deleted pattern can be restored until the next save.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppCore } from "../../device/app/app-core.ts";
import type { RunningServer } from "../../device/serve/server.ts";
import { getPattern } from "../../patterns/index.ts";
import { type AppServer, startAppServer } from "../support/app-server.ts";
import { type Browser, chromiumMissing, launchChromium } from "./browser.ts";

const TOKEN = "Editor-test-token_0123456";
const runs = chromiumMissing() === undefined || process.env.CI === "true";

let app: AppServer | undefined;
let core: AppCore;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!runs) return;
  app = await startAppServer({ token: TOKEN, folder: "massager-editor-ids-" });
  ({ core, server } = app);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  if (!runs) return;
  await browser?.close();
  await app?.close();
});

async function field(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
  await page.locator(selector).blur();
}

describe.runIf(runs)("the pattern editor's ids, deletes and undo", () => {
  it("refuses a built-in's id with the reason, saves it as a copy, and confirms and undoes a delete", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${server.origin}/?token=${TOKEN}#editor`);
      await page.getByRole("heading", { name: "Your patterns" }).waitFor();
      await field(page, "#p-id", "scalp-circles");
      await field(page, "#p-name", "My circles");
      await page.click("[data-action=save-pattern]");
      const offer = page.locator("[data-copy-offer]");
      await offer.waitFor();
      await expect(offer.textContent()).resolves.toContain("built-in");
      // Nothing was written, and the built-in still plays in its routines.
      expect(core.library.isCustom("scalp-circles")).toBe(false);
      expect(core.library.pattern("scalp-circles")).toEqual(getPattern("scalp-circles"));
      await page.click("[data-action=save-as-copy]");
      await page.getByText('Saved "My circles (copy)"').waitFor();
      expect(core.library.isCustom("scalp-circles-copy")).toBe(true);

      // Delete asks first; "Keep it" keeps it.
      await page.click("[data-action=delete-pattern]");
      await page.locator("[data-confirm-delete]").waitFor();
      await page.click("[data-action=cancel-delete]");
      await page.locator("[data-confirm-delete]").waitFor({ state: "detached" });
      expect(core.library.isCustom("scalp-circles-copy")).toBe(true);
      await page.click("[data-action=delete-pattern]");
      await page.click("[data-action=confirm-delete]");
      await page.getByText(/Deleted "My circles \(copy\)"/).waitFor();
      await expect.poll(() => core.library.isCustom("scalp-circles-copy")).toBe(false);
      // Undo puts it back as it was.
      await page.click("[data-action=undo-delete]");
      await page.getByText('Restored "My circles (copy)"').waitFor();
      await expect.poll(() => core.library.isCustom("scalp-circles-copy")).toBe(true);

      // After the next save, a delete can no longer be undone.
      await page.click("[data-action=delete-pattern]");
      await page.click("[data-action=confirm-delete]");
      await page.locator("[data-action=undo-delete]").waitFor();
      await field(page, "#p-id", "another-one");
      await field(page, "#p-name", "Another");
      await page.click("[data-action=save-pattern]");
      await page.getByText('Saved "Another"').waitFor();
      await expect(page.locator("[data-action=undo-delete]").count()).resolves.toBe(0);
    } finally {
      await page.close();
    }
  }, 90_000);
});
