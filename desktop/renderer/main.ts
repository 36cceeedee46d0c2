/** The renderer's entry: picks the API client (IPC in Electron, HTTP in a browser) and starts the app. */
import "./styles.css";
import { z } from "zod";
import { createClient } from "./api/client.ts";
import { App } from "./app.ts";

// The CSP forbids eval: tell zod not to try its compiled fast path.
z.config({ jitless: true });

const root = document.getElementById("app");
if (root) {
  root.replaceChildren();
  const app = new App(createClient(), root);
  void app.start();
}
