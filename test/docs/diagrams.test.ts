/**
 * The wiring diagrams and schematics in docs/: each is well-formed SVG (a browser shows nothing
 * for a file with one stray `&`), has a viewBox and a white background so it reads on a dark page,
 * is shown in the README, and names exactly the pins that device/firmware/massager/pins.h
 * uses by default, so a changed pin map fails here until the pictures are redrawn.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sax from "sax";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const DIAGRAMS = [
  "docs/wiring-tb6612.svg",
  "docs/schematic-tb6612.svg",
  "docs/wiring-l298n.svg",
  "docs/schematic-l298n.svg",
] as const;
const SVG_NS = "http://www.w3.org/2000/svg";
/** Elements whose words a person sees or a screen reader speaks. */
const TEXT_ELEMENTS = new Set(["text", "title", "desc"]);

const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

interface TextItem {
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
}

interface ParsedSvg {
  readonly errors: readonly string[];
  readonly rootCount: number;
  readonly root: { readonly name: string; readonly attributes: Readonly<Record<string, string>> } | undefined;
  /** The root's direct children, in order. */
  readonly children: ReadonlyArray<{ readonly name: string; readonly attributes: Readonly<Record<string, string>> }>;
  /** Every <text>, <title> and <desc> with its whole text content (tspans included). */
  readonly texts: readonly TextItem[];
  readonly hasTitle: boolean;
}

/** Parses with sax in strict mode: any well-formedness error is collected, not skipped silently. */
function parseSvg(source: string): ParsedSvg {
  const parser = sax.parser(true, { xmlns: true, position: true });
  const errors: string[] = [];
  const children: { name: string; attributes: Record<string, string> }[] = [];
  const texts: TextItem[] = [];
  let root: ParsedSvg["root"];
  let rootCount = 0;
  let depth = 0;
  let hasTitle = false;
  let current: { attributes: Record<string, string>; text: string; depth: number } | undefined;

  parser.onerror = (error) => {
    errors.push(`line ${parser.line + 1}: ${error.message.split("\n")[0]}`);
    parser.error = null as unknown as Error;
    parser.resume();
  };
  parser.onopentag = (tag) => {
    const node = tag as sax.QualifiedTag;
    const attributes = Object.fromEntries(Object.values(node.attributes).map((a) => [a.name, a.value]));
    if (depth === 0) {
      rootCount += 1;
      root = { name: node.local, attributes: { ...attributes, "@ns": node.uri } };
    } else if (depth === 1) {
      children.push({ name: node.local, attributes });
    }
    if (node.local === "title" && depth === 1) hasTitle = true;
    if (TEXT_ELEMENTS.has(node.local) && current === undefined) current = { attributes, text: "", depth };
    depth += 1;
  };
  parser.onclosetag = () => {
    depth -= 1;
    if (current !== undefined && current.depth === depth) {
      texts.push({ attributes: current.attributes, text: current.text.trim() });
      current = undefined;
    }
  };
  parser.ontext = (text) => {
    if (current !== undefined) current.text += text;
  };
  parser.write(source).close();
  return { errors, rootCount, root, children, texts, hasTitle };
}

type Build = "pwmDir" | "twoPwm";

/**
 * The default value of every `PIN_*` setting in pins.h, per build: a define inside
 * `#ifdef ROTATION_DRIVER_PWM_DIR` / `..._TWO_PWM` belongs to that build, any other to both.
 */
function defaultPins(pinsH: string, build: Build): Map<string, number> {
  const stack: (Build | undefined)[] = [];
  const common = new Map<string, number>();
  const perBuild = new Map<string, number>();
  for (const raw of pinsH.split("\n")) {
    const line = raw.trim();
    const conditional = /^#\s*(if|ifdef|ifndef)\b\s*(\w+)?/.exec(line);
    if (conditional !== null) {
      const name = conditional[1] === "ifdef" ? conditional[2] : undefined;
      stack.push(
        name === "ROTATION_DRIVER_PWM_DIR" ? "pwmDir" : name === "ROTATION_DRIVER_TWO_PWM" ? "twoPwm" : undefined,
      );
      continue;
    }
    if (/^#\s*endif\b/.test(line)) {
      stack.pop();
      continue;
    }
    const define = /^#\s*define\s+(PIN_[A-Z0-9_]+)\s+(\d+)\b/.exec(line);
    if (define === null) continue;
    const [, name = "", value = ""] = define;
    const owner = stack.findLast((entry) => entry !== undefined);
    const target = owner === undefined ? common : owner === build ? perBuild : undefined;
    if (target !== undefined && !target.has(name)) target.set(name, Number(value));
  }
  return new Map([...common, ...perBuild]);
}

/**
 * What a diagram gets wrong about the pin map: a tagged pin label (`data-pin="PIN_X"`) that does not
 * say `D<n>` for pins.h's value, a pin of the map it never labels, or any `D<n>` in its text that is
 * not a pin of the map (a stale number left behind).
 */
function pinMismatches(svg: ParsedSvg, pins: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  const labelled = new Set<string>();
  const inUse = new Set([...pins.values()].map((pin) => `D${pin}`));
  for (const { attributes, text } of svg.texts) {
    const setting = attributes["data-pin"];
    if (setting !== undefined) {
      labelled.add(setting);
      const pin = pins.get(setting);
      if (pin === undefined) problems.push(`"${text}" is tagged ${setting}, which pins.h does not define`);
      else if (text !== `D${pin}`) problems.push(`"${text}" is tagged ${setting}, but pins.h sets it to D${pin}`);
    }
    for (const match of text.matchAll(/\bD(\d{1,2})\b/g)) {
      if (!inUse.has(match[0])) problems.push(`"${text}" names ${match[0]}, which the default pin map does not use`);
    }
  }
  for (const setting of pins.keys()) {
    if (!labelled.has(setting)) problems.push(`no pin label is tagged ${setting} (pins.h: D${pins.get(setting)})`);
  }
  return problems;
}

const PINS_H = read("device/firmware/massager/pins.h");
const DEFAULT_PINS = defaultPins(PINS_H, "pwmDir");
const README = read("README.md");

describe("the wiring diagrams and schematics", () => {
  it("reads the default pin map from pins.h", () => {
    // Guards the parser below: without these five the pin checks would pass on nothing.
    expect([...DEFAULT_PINS.keys()].sort()).toEqual(
      ["PIN_ROTATION_IN1", "PIN_ROTATION_IN2", "PIN_ROTATION_PWM", "PIN_STBY", "PIN_VIBRATION_PWM"].sort(),
    );
  });

  for (const path of DIAGRAMS) {
    describe(path, () => {
      it("exists and is well-formed SVG with a viewBox, a title and a white background", () => {
        expect(existsSync(join(ROOT, path)), `${path} is missing`).toBe(true);
        const svg = parseSvg(read(path));
        expect(svg.errors, `${path} is not well-formed XML`).toEqual([]);
        expect(svg.rootCount).toBe(1);
        expect(svg.root?.name).toBe("svg");
        expect(svg.root?.attributes["@ns"]).toBe(SVG_NS);
        const viewBox = (svg.root?.attributes.viewBox ?? "")
          .trim()
          .split(/[\s,]+/)
          .map(Number);
        expect(viewBox, `${path}: viewBox="min-x min-y width height"`).toHaveLength(4);
        const [, , width = 0, height = 0] = viewBox;
        expect(width).toBeGreaterThan(0);
        expect(height).toBeGreaterThan(width); // portrait, so it stays legible at phone width
        expect(svg.hasTitle, `${path} needs a <title> for screen readers`).toBe(true);
        const background = svg.children.find((child) => child.name === "rect");
        expect(background?.attributes.fill?.toLowerCase()).toMatch(/^(#fff|#ffffff|white)$/);
        expect(Number(background?.attributes.width)).toBe(width);
        expect(Number(background?.attributes.height)).toBe(height);
      });

      it("is shown in the README as an image", () => {
        const escaped = path.replace(/[.]/g, "\\.");
        const link = new RegExp(`!\\[[^\\]]{10,}\\]\\(${escaped}\\)`).exec(README);
        expect(link, `README.md needs ![a description of the picture](${path})`).not.toBeNull();
      });

      it("labels exactly the pins of pins.h's default map", () => {
        expect(pinMismatches(parseSvg(read(path)), DEFAULT_PINS)).toEqual([]);
      });
    });
  }

  it("fails a diagram when the pin map changes", () => {
    const svg = parseSvg(read(DIAGRAMS[0]));
    const moved = PINS_H.replace(/(#define PIN_VIBRATION_PWM )\d+/, "$1 11");
    const problems = pinMismatches(svg, defaultPins(moved, "pwmDir"));
    expect(problems.some((problem) => problem.includes("PIN_VIBRATION_PWM, but pins.h sets it to D11"))).toBe(true);
  });

  it("refuses a stray ampersand, as a browser would", () => {
    expect(parseSvg(`<svg xmlns="${SVG_NS}" viewBox="0 0 1 2"><text>A & B</text></svg>`).errors).not.toEqual([]);
  });
});

describe("the pull-down note", () => {
  it("names every PWM pin and STBY of both builds", () => {
    const firmwareReadme = read("device/firmware/README.md");
    const note = /\*\*Pull-downs[^\n]*(?:\n(?!\n)[^\n]*)*/.exec(firmwareReadme)?.[0] ?? "";
    expect(note, "device/firmware/README.md has no **Pull-downs…** paragraph").not.toBe("");
    for (const build of ["pwmDir", "twoPwm"] as const) {
      const pins = defaultPins(PINS_H, build);
      for (const [setting, pin] of pins) {
        if (!/PWM|STBY/.test(setting)) continue;
        expect(note, `the pull-down note must name D${pin} (${setting}, ${build})`).toMatch(
          new RegExp(`\\bD${pin}\\b`),
        );
      }
    }
  });
});
