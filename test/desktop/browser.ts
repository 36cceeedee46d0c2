/** Debian's Chromium under playwright-core, headless, with a fresh profile, for the e2e suite and the benchmark. */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** `touch` gives a touch screen (for tap); `bypassCSP` lets a test inject axe-core into the page. */
export async function launchChromium(options: { touch?: boolean; bypassCSP?: boolean } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "massager-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      // The chime plays without a click first, as it does after the person pressed Start.
      "--autoplay-policy=no-user-gesture-required",
    ],
    viewport: { width: 1200, height: 900 },
    timeout: 60_000,
    ...(options.touch ? { hasTouch: true } : {}),
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
