/**
 * The Device screen's hardware tools in Chromium against `massager serve`'s server on the
 * simulated massager, on a 390 px phone: both buttons are there (Flash firmware for the port
 * listed as an Arduino), the motor test says what should be moving in words, its Stop is inside
 * the viewport (on another screen too, and after a reload), and Stop and Esc each end the test
 * with the motors off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_CHOICE } from "../../device/app/list-devices.ts";
import { type AppServer, startAppServer } from "../support/app-server.ts";
import { type Browser, chromiumMissing, launchChromium } from "./browser.ts";

const TOKEN = "Device-tools-token_0123456";
const runs = chromiumMissing() === undefined || process.env.CI === "true";

let app: AppServer | undefined;
let browser: Browser;

beforeAll(async () => {
  if (!runs) return;
  app = await startAppServer({
    token: TOKEN,
    folder: "massager-device-tools-",
    core: {
      listDevices: async () => ({
        choices: [
          SIMULATOR_CHOICE,
          { spec: "serial:/dev/ttyACM0", label: "/dev/ttyACM0", kind: "serial", detail: "Arduino", arduino: true },
          { spec: "serial:/dev/ttyS0", label: "/dev/ttyS0", kind: "serial" },
        ],
        problems: [],
      }),
    },
  });
  await app.core.saveSettings({ ...(await app.core.settings.get()), safetySeen: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  if (!runs) return;
  await browser?.close();
  await app?.close();
});

describe.runIf(runs)("the Device screen's motor test and flashing at 390 px", () => {
  it("shows both buttons, says what should move, keeps Stop on screen, and Stop and Esc end the test", async () => {
    if (!app) return;
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto(`${app.server.origin}/?token=${TOKEN}#devices`);
      const test = page.locator("[data-action=test-motors]");
      await test.waitFor();
      // Flashing is offered for the Arduino only (the port list arrives after the screen: wait for it).
      await page.locator("[data-action=flash-firmware]").first().waitFor({ timeout: 15_000 });
      await expect(page.locator("[data-action=flash-firmware]").allTextContents()).resolves.toEqual([
        "Flash firmware to /dev/ttyACM0",
      ]);

      for (const stopBy of ["button", "Escape"] as const) {
        await test.click();
        const expectText = page.locator("[data-motor-expect]");
        await expectText.waitFor({ timeout: 15_000 });
        await expect(expectText.textContent()).resolves.toMatch(/should buzz at 30 % and the head should not turn/);
        if (stopBy === "button") {
          // A window opened mid-test (here: reloaded) finds the test in the status, with its Stop.
          await page.reload();
          await page.locator("[data-motor-test=step]").waitFor({ timeout: 15_000 });
        }
        if (stopBy === "Escape") {
          // Another screen meanwhile: the test's Stop comes along.
          await page.evaluate(() => {
            window.location.hash = "#history";
          });
          await page.locator("[data-nav=history][aria-current=page]").waitFor({ state: "attached" });
        }
        const stop = page.locator("[data-action=stop-motor-test]");
        const box = await stop.boundingBox();
        expect(box).not.toBeNull();
        expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(844);
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true);
        if (stopBy === "button") await stop.click();
        else await page.keyboard.press("Escape");
        await stop.waitFor({ state: "detached" });
        if (stopBy === "Escape") await page.evaluate(() => window.history.back());
        await page.locator("[data-motor-test=stopped]").waitFor({ timeout: 10_000 });
        await expect(page.locator("[data-motor-test]").textContent()).resolves.toContain("the motors are off");
        // The test's own simulator is gone; the app is connected again with its motors at rest.
        await expect.poll(() => app?.core.getStatus().device.connection, { timeout: 10_000 }).toBe("connected");
        expect(app.core.getStatus().device.motors).toEqual({ vibration: 0, rotation: 0 });
      }
      // Nothing on the screen scrolls sideways at 390 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
