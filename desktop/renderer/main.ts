/** The renderer's entry: picks the API client (IPC in Electron, HTTP in a browser) and starts the app. */
import "./styles.css";
import { z } from "zod";
import { createClient } from "./api/client.ts";
import { App } from "./app.ts";
import { unlockAudio } from "./guidance/chime.ts";
import { onVoicesChanged } from "./guidance/speech.ts";

// The CSP forbids eval: tell zod not to try its compiled fast path.
z.config({ jitless: true });

const root = document.getElementById("app");
if (root) {
  root.replaceChildren();
  const app = new App(createClient(), root);
  void app.start();
  // Voices arrive late in Chromium: Settings lists them once they are there.
  onVoicesChanged(() => app.refresh());
  // A page opened or reloaded mid-session may only sound after a touch or a key: the first one unlocks it.
  for (const type of ["pointerdown", "keydown"] as const) window.addEventListener(type, unlockAudio, { once: true });
}
