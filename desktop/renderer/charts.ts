/** The three charts keep their canvases across renders: the live session's, the set-up's plan, the editor's preview. */
import { LiveChart } from "./components/live-chart.ts";

export class Charts {
  readonly live = new LiveChart("Vibration and rotation: planned and applied", true, { back: 60, ahead: 30 });
  readonly plan = new LiveChart("The planned program", false);
  readonly preview = new LiveChart("Preview of the pattern", false);

  /** After a theme change: the canvases take the new colours. */
  restyle(): void {
    for (const chart of [this.live, this.plan, this.preview]) chart.restyle();
  }
}
