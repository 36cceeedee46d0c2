/**
 * device/'s folders are layers, so the tree says where things live: transport/ moves bytes,
 * reference-device/ is the device as PROTOCOL.md defines it (DeviceCore), the simulator and the
 * bridges (firmata/, ble-peripheral/, avr-sim/) wrap it, and composition/ turns a `--device` spec
 * into one of them. This reads every import under device/ and fails, naming the file and the
 * import, on a cycle between folders and on an import across a line drawn below.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles, specifiers } from "./imports.ts";

const DEVICE = join(ROOT, "device");

/** Where device/'s own files (clock.ts, log.ts, answer-timeout.ts) count as a folder. */
const TOP = "device/*.ts";

interface FolderImport {
  /** The importing file, from the repository root. */
  file: string;
  specifier: string;
  from: string;
  to: string;
}

interface Rule {
  from: string;
  forbids: (to: string) => boolean;
  why: string;
}

const only =
  (...allowed: string[]) =>
  (to: string): boolean =>
    !allowed.includes(to);
const any =
  (...forbidden: string[]) =>
  (to: string): boolean =>
    forbidden.includes(to);

const BRIDGE_RULE = "a bridge wraps DeviceCore from reference-device/, not the simulator";

const RULES: readonly Rule[] = [
  {
    from: "transport",
    forbids: only(TOP),
    why: "transport/ only moves bytes; what builds a device on it sits above it (composition/)",
  },
  {
    from: "reference-device",
    forbids: only(TOP),
    why: "reference-device/ is the protocol's device alone: the simulator and the bridges use it, not the reverse",
  },
  { from: "flash", forbids: any("firmata"), why: "the flasher and the Firmata bridge are independent (hw/ uses both)" },
  { from: "firmata", forbids: any("flash"), why: "the flasher and the Firmata bridge are independent (hw/ uses both)" },
  { from: "firmata", forbids: any("simulator"), why: BRIDGE_RULE },
  { from: "ble-peripheral", forbids: any("simulator"), why: BRIDGE_RULE },
  { from: "avr-sim", forbids: any("simulator"), why: BRIDGE_RULE },
];

function folderOf(fromDevice: string): string {
  const parts = fromDevice.split(/[\\/]/);
  return parts.length > 1 ? (parts[0] ?? TOP) : TOP;
}

/** The imports of `file` (absolute) that reach another folder of device/. */
function folderImports(file: string, text: string): FolderImport[] {
  const from = folderOf(relative(DEVICE, file));
  return specifiers(text).flatMap((specifier) => {
    if (!specifier.startsWith(".")) return [];
    const target = relative(DEVICE, resolve(dirname(file), specifier));
    if (target.startsWith("..")) return [];
    const to = folderOf(target);
    return to === from ? [] : [{ file: relative(ROOT, file), specifier, from, to }];
  });
}

const label = (folder: string): string => (folder === TOP ? TOP : `${folder}/`);

/** A shortest folder path from `start` to `goal` along `edges`, or undefined. */
function pathBetween(
  edges: ReadonlyMap<string, ReadonlySet<string>>,
  start: string,
  goal: string,
): string[] | undefined {
  const cameFrom = new Map<string, string>([[start, start]]);
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    if (at === goal) {
      const path = [goal];
      while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string);
      return path;
    }
    for (const next of edges.get(at) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** One line per import that breaks a rule or closes a cycle between folders. */
function folderProblems(imports: readonly FolderImport[]): string[] {
  const problems: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const edge of imports) {
    edges.set(edge.from, (edges.get(edge.from) ?? new Set()).add(edge.to));
    for (const rule of RULES) {
      if (rule.from === edge.from && rule.forbids(edge.to)) {
        problems.push(`${edge.file} imports "${edge.specifier}" (${label(edge.to)}): ${rule.why}`);
      }
    }
  }
  for (const edge of imports) {
    const back = pathBetween(edges, edge.to, edge.from);
    if (back === undefined) continue;
    const cycle = [edge.from, ...back].map(label).join(" -> ");
    problems.push(`${edge.file} imports "${edge.specifier}": a cycle between folders, ${cycle}`);
  }
  return problems;
}

function deviceImports(): FolderImport[] {
  return sourceFiles(DEVICE)
    .filter((file) => !/[\\/](build|node_modules)[\\/]/.test(relative(DEVICE, file)))
    .flatMap((file) => folderImports(file, readFileSync(file, "utf8")));
}

describe("device/ folders", () => {
  it("have no cycle between them, and no import across the lines drawn above", () => {
    const imports = deviceImports();
    // The walk found the tree (so an empty result proves something).
    expect(new Set(imports.map((edge) => edge.from)).size).toBeGreaterThan(10);
    expect(folderProblems(imports)).toEqual([]);
  });

  it("name the file and the import that break a rule or close a cycle", () => {
    const at = (path: string, text: string) => folderImports(join(DEVICE, path), text);
    const imports = [
      ...at("transport/spec.ts", 'import { SimulatedDevice } from "../simulator/simulated-device.ts";'),
      ...at("transport/clocked.ts", 'import type { Clock } from "../clock.ts";'),
      ...at("simulator/hosts.ts", 'import { TcpTransport } from "../transport/tcp.ts";'),
      ...at("flash/boot-check.ts", 'import { connectFirmata } from "../firmata/firmata-board.ts";'),
      ...at("firmata/firmata-transport.ts", 'const core = await import("../simulator/device-core.ts");'),
      ...at("ble-peripheral/link.ts", 'import { DeviceCore } from "../reference-device/device-core.ts";'),
      ...at("cli/main.ts", 'import { hostOnPty } from "../simulator/hosts.ts";'),
    ];
    expect(folderProblems(imports)).toEqual([
      'device/transport/spec.ts imports "../simulator/simulated-device.ts" (simulator/): transport/ only moves bytes; what builds a device on it sits above it (composition/)',
      'device/flash/boot-check.ts imports "../firmata/firmata-board.ts" (firmata/): the flasher and the Firmata bridge are independent (hw/ uses both)',
      'device/firmata/firmata-transport.ts imports "../simulator/device-core.ts" (simulator/): a bridge wraps DeviceCore from reference-device/, not the simulator',
      'device/transport/spec.ts imports "../simulator/simulated-device.ts": a cycle between folders, transport/ -> simulator/ -> transport/',
      'device/simulator/hosts.ts imports "../transport/tcp.ts": a cycle between folders, simulator/ -> transport/ -> simulator/',
    ]);
  });
});
