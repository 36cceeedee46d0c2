/**
 * A side view of a head, neck and shoulders (facing right) whose zones light up where the
 * current step wants the massager. Drawn here as inline SVG, so it needs no image files.
 */
import { html, svg, type TemplateResult } from "lit-html";
import type { Zone } from "../../../protocol/pattern.ts";
import { ZONE_LABELS } from "../format.ts";

const SHAPES: Record<Zone, TemplateResult> = {
  shoulders: svg`<path d="M14 292 Q22 236 96 232 L164 232 Q238 236 246 292 Z" />`,
  neck: svg`<path d="M98 186 L162 186 L166 236 L94 236 Z" />`,
  scalp: svg`<path d="M51 100 A80 92 0 0 1 209 100 Q130 76 51 100 Z" />`,
  forehead: svg`<path d="M207 102 Q214 118 211 142 L190 140 Q186 118 192 100 Z" />`,
  temples: svg`<ellipse cx="172" cy="134" rx="13" ry="16" />`,
  baseOfSkull: svg`<path d="M58 160 Q80 196 120 196 L118 178 Q86 176 66 148 Z" />`,
};

/** Draw order: what lies behind first. */
const ORDER: Zone[] = ["shoulders", "neck", "scalp", "forehead", "temples", "baseOfSkull"];

export function headDiagram(active: readonly Zone[]): TemplateResult {
  const label = active.length
    ? `Massage the ${active.map((zone) => ZONE_LABELS[zone].toLowerCase()).join(" and ")}`
    : "Head diagram";
  const zones = ORDER.map(
    (zone) =>
      svg`<g class="zone ${active.includes(zone) ? "active" : ""}" data-zone=${zone}><title>${ZONE_LABELS[zone]}</title>${SHAPES[zone]}</g>`,
  );
  return html`<figure class="head" data-active=${active.join(" ")}>
    <svg viewBox="0 0 260 300" role="img" aria-label=${label}>
      ${zones[0]}${zones[1]}
      <ellipse class="outline" cx="130" cy="115" rx="80" ry="92" />
      <path class="outline" d="M209 135 Q224 150 214 162 Q210 166 206 168" />
      <ellipse class="outline" cx="128" cy="132" rx="10" ry="16" />
      ${zones.slice(2)}
    </svg>
    <figcaption class="help">${label}</figcaption>
  </figure>`;
}
