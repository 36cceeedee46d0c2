/**
 * The chart of a session: the planned program (thin lines) and what the device applies (thick),
 * vibration and rotation in percent over time. Built on uPlot. Telemetry is bucketed onto
 * the plan's time grid and drawn at most once per animation frame, so 50 updates a second
 * cost one redraw per frame, not fifty. A live chart shows a window around the position
 * (a minute back, half a minute ahead), where single keyframes can still be told apart.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ChartPoint, Timeline } from "../../../device/app/contract.ts";

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** Narrow enough for a 320 px phone inside the page's and the panel's padding. */
const MIN_WIDTH = 200;

export class LiveChart {
  /** The element to place in the page; it keeps its chart across re-renders. */
  readonly element: HTMLDivElement;
  private plot: uPlot | undefined;
  private xs: number[] = [];
  private plannedVib: number[] = [];
  private plannedRot: number[] = [];
  private appliedVib: (number | null)[] = [];
  private appliedRot: (number | null)[] = [];
  private stepMs = 1000;
  private dirty = false;
  private frame = 0;
  private drawn = 0;
  private readonly resize: ResizeObserver;

  private positionS = 0;

  constructor(
    private readonly label: string,
    private readonly withApplied = true,
    /** Seconds shown behind and ahead of the position; undefined shows the whole plan. */
    private readonly window: { back: number; ahead: number } | undefined = undefined,
  ) {
    this.element = document.createElement("div");
    this.element.className = "chart";
    this.element.setAttribute("role", "img");
    this.element.setAttribute("aria-label", label);
    this.element.dataset.points = "0";
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.element);
  }

  /** Sets the planned program; clears what was applied. */
  setPlan(timeline: Timeline): void {
    this.stepMs = Math.max(1, timeline.stepMs);
    // Sample i is at i × stepMs, and the last at the session's end (not a whole step after the one before it).
    const last = timeline.vibration.length - 1;
    this.xs = timeline.vibration.map((_, index) =>
      index === last ? timeline.durationMs / 1000 : (index * this.stepMs) / 1000,
    );
    this.plannedVib = timeline.vibration.map((level) => level * 100);
    this.plannedRot = timeline.rotation.map((level) => level * 100);
    this.appliedVib = this.xs.map(() => null);
    this.appliedRot = this.xs.map(() => null);
    this.positionS = 0;
    this.element.dataset.durationS = String(this.xs.at(-1) ?? 0);
    this.drawn = 0;
    this.element.dataset.points = "0";
    this.rebuild();
  }

  /** Records one telemetry sample; drawn on the next frame. */
  addSample(point: ChartPoint): void {
    if (!this.withApplied || this.xs.length === 0) return;
    const index = Math.min(this.xs.length - 1, Math.max(0, Math.round(point.tMs / this.stepMs)));
    this.appliedVib[index] = point.vibration * 100;
    this.appliedRot[index] = point.rotation * 100;
    this.positionS = point.tMs / 1000;
    this.drawn++;
    this.schedule();
  }

  /** Re-reads the theme's colours. */
  restyle(): void {
    this.rebuild();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private schedule(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.frame = requestAnimationFrame(() => {
      this.dirty = false;
      this.plot?.setData(this.data(), false);
      this.applyWindow();
      this.element.dataset.points = String(this.drawn);
    });
  }

  private applyWindow(): void {
    if (!this.plot || !this.window || this.xs.length === 0) return;
    const end = this.xs[this.xs.length - 1] ?? 0;
    const span = this.window.back + this.window.ahead;
    const min = Math.max(0, Math.min(this.positionS - this.window.back, end - span));
    this.plot.setScale("x", { min, max: Math.min(end, min + span) });
  }

  private data(): uPlot.AlignedData {
    const series: (number | null)[][] = [this.plannedVib, this.plannedRot];
    if (this.withApplied) series.push(this.appliedVib, this.appliedRot);
    return [this.xs, ...series] as uPlot.AlignedData;
  }

  /**
   * The width of the chart's container. Before the element is in the page (a reload straight
   * into a session) it has none: take the viewport's, never a fixed desktop width, which would
   * make a phone's page scroll sideways and push the Stop bar off screen.
   */
  private width(): number {
    const own = Math.floor(this.element.clientWidth);
    return own > 0 ? Math.max(MIN_WIDTH, own) : Math.max(MIN_WIDTH, Math.min(640, window.innerWidth - 64));
  }

  private fit(): void {
    const width = this.width();
    if (this.plot && this.plot.width !== width) this.plot.setSize({ width, height: 240 });
  }

  private rebuild(): void {
    this.plot?.destroy();
    const vib = cssVar("--vibration");
    const rot = cssVar("--rotation");
    const axis = { stroke: cssVar("--muted"), grid: { stroke: cssVar("--border"), width: 1 } };
    const series: uPlot.Series[] = [
      { label: "Time (s)" },
      { label: this.withApplied ? "Planned vibration %" : "Vibration %", stroke: vib, width: 1.25 },
      { label: this.withApplied ? "Planned rotation %" : "Rotation %", stroke: rot, width: 1.25 },
    ];
    if (this.withApplied) {
      series.push({ label: "Vibration %", stroke: vib, width: 4 }, { label: "Rotation %", stroke: rot, width: 4 });
    }
    this.plot = new uPlot(
      {
        title: "",
        width: this.width(),
        height: 240,
        scales: { x: { time: false }, y: { range: [-100, 100] } },
        axes: [
          { ...axis, label: "seconds" },
          { ...axis, label: "%" },
        ],
        series,
        cursor: { show: false },
        legend: { show: true, live: false },
      },
      this.data(),
      this.element,
    );
    this.applyWindow();
    this.element.setAttribute("aria-label", this.label);
  }
}
