/**
 * Ways a simulated device can misbehave, each switchable on its own: a test installs one
 * with SimulatedDevice.use() and removes it with the function that returns. A behaviour sees
 * every line in one direction and passes it on (maybe changed, maybe later) or drops it.
 */
import { decode, encode } from "../../protocol/codec.ts";
import type { Clock } from "../clock.ts";

export interface BehaviourContext {
  clock: Clock;
  /** Reboots the device core: outputs off at once, program lost, `ST IDLE BOOT 0 0`. */
  reset(): void;
}

export type Pass = (line: string) => void;

export interface Behaviour {
  readonly name: string;
  /** A line from the host, before the device sees it. */
  inbound?(line: string, next: Pass, context: BehaviourContext): void;
  /** A line from the device, before it is sent. */
  outbound?(line: string, next: Pass, context: BehaviourContext): void;
}

export type Direction = "inbound" | "outbound" | "both";

function inDirection(direction: Direction, handler: NonNullable<Behaviour["inbound"]>, name: string): Behaviour {
  return {
    name,
    ...(direction !== "outbound" ? { inbound: handler } : {}),
    ...(direction !== "inbound" ? { outbound: handler } : {}),
  };
}

/** Drops lines: every `every`-th one (default every one), only those matching `match` if given. */
export function dropLines(options: { direction?: Direction; every?: number; match?: RegExp } = {}): Behaviour {
  let count = 0;
  const every = Math.max(1, options.every ?? 1);
  return inDirection(
    options.direction ?? "both",
    (line, next) => {
      if (options.match && !options.match.test(line)) return next(line);
      count++;
      if (count % every !== 0) next(line);
    },
    "drop lines",
  );
}

/** Delays every line by `ms` (order kept). */
export function delayLines(ms: number, direction: Direction = "outbound"): Behaviour {
  return inDirection(
    direction,
    (line, next, { clock }) => void clock.setTimeout(() => next(line), ms),
    `delay ${ms} ms`,
  );
}

/** Says nothing at all: every outgoing line is lost (the device still obeys what it hears). */
export function goSilent(): Behaviour {
  return { name: "silent", outbound: () => {} };
}

/** Answers with noise instead of frames: a wrong baud rate, a different device. */
export function answerGarbage(): Behaviour {
  let n = 0;
  return {
    name: "garbage",
    outbound: (line, next) => {
      n++;
      next(`\u00ff\u00fe${line.split("").reverse().join("")}~${n}`);
    },
  };
}

/** Cuts every line short (half its length), as a flaky cable or a buffer overrun would. */
export function truncateLines(direction: Direction = "outbound"): Behaviour {
  return inDirection(direction, (line, next) => next(line.slice(0, Math.floor(line.length / 2))), "truncate lines");
}

/** Reports another protocol version in `ID`. */
export function reportProtocol(proto: number): Behaviour {
  return {
    name: `protocol ${proto}`,
    outbound: (line, next) => {
      const result = decode(line);
      if (result.kind === "message" && result.message.type === "ID") next(encode({ ...result.message, proto }));
      else next(line);
    },
  };
}

/** Reboots the device once, when the `count`-th line matching `match` arrives (before handling it). */
export function resetOn(match: RegExp, count = 1): Behaviour {
  let seen = 0;
  return {
    name: "reset",
    inbound: (line, next, context) => {
      if (match.test(line) && ++seen === count) {
        context.reset();
        return;
      }
      next(line);
    },
  };
}
