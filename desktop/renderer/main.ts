/** The renderer's entry: picks the API client (IPC in Electron, HTTP in a browser) and starts the app. */
import "./styles.css";
import { createClient } from "./api/client.ts";
import { App } from "./app.ts";

const root = document.getElementById("app");
if (root) {
  root.replaceChildren();
  const app = new App(createClient(), root);
  void app.start();
}
