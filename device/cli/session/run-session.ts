/**
 * Plays one session from the command line: picks the device, connects, compiles for it,
 * plays, shows progress, and makes sure the motors are off however it ends — completed,
 * Ctrl-C/SIGTERM (exit 130), a device failure, or a bug (an uncaught exception or unhandled
 * rejection: ESTOP, then one line and exit 70; see ../crash-guard.ts).
 */
import { compileSession } from "../../../patterns/compiler.ts";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import type { Pattern, Routine } from "../../../protocol/pattern.ts";
import { type Clock, RealClock, VirtualClock } from "../../clock.ts";
import { type DeviceSchemes, defaultDeviceSchemes } from "../../composition/device-schemes.ts";
import { deviceFromSpec } from "../../composition/device-spec.ts";
import { Controller } from "../../controller/controller.ts";
import { deviceLimitsOf } from "../../controller/device-info.ts";
import type { SessionEnd } from "../../controller/types.ts";
import { describeDevice } from "../../hw/device-report.ts";
import { describePins } from "../../hw/pin-report.ts";
import { explainSilentSerialPort } from "../../hw/port-diagnosis.ts";
import { TraceFile } from "../../simulator/trace-file.ts";
import { crashMessage, guardCrashes } from "../crash-guard.ts";
import { ExitCode } from "../exit-codes.ts";
import { guardSignals, reportStopped } from "../signal-guard.ts";
import { type KeyInput, type LiveKeys, listenToKeys } from "./keys.ts";
import { barReporter, jsonReporter, type Reporter } from "./reporters.ts";
import { traceTelemetry } from "./telemetry-trace.ts";

/** Telemetry period in real time: the bar redraws at 10 Hz and the JSON reporter prints once a second. */
export const TERMINAL_TELEMETRY_MS = 100;

/** In virtual time a TM every 50 ms is 72 000 frames an hour nobody watches; one a second is plenty. */
const FAST_TELEMETRY_MS = 1000;

/** `--trace` on a device other than the simulator is written from its telemetry: the protocol's default period. */
const TRACE_TELEMETRY_MS = 50;

export interface PlayRequest {
  source: Pattern | Routine;
  minutes: number;
  intensity: number;
  /** `sim`, `serial:PATH`, `tcp:HOST:PORT`, ... */
  device: string;
  /** The schemes `device` is resolved with. Default: defaultDeviceSchemes() (no --hci, no --pins). */
  schemes?: DeviceSchemes;
  /** Virtual time on the in-process simulator. */
  fast: boolean;
  trace: string | undefined;
  json: boolean;
  /** The person's maximum intensity, percent: it caps the levels, the intensity and every ↑. */
  maxIntensity: number;
  /** A double pulse of the vibration motor at each step change (play --no-step-cue: false). */
  stepCue: boolean;
  /** A terminal to take ↑/↓, Space, q and Esc from while the session plays (keys.ts); none: no keys. */
  keys?: KeyInput | undefined;
  /** Print what the device says of itself and its pin map (PINS) to stderr before playing. */
  verbose?: boolean;
}

/** Runs the session; resolves with the exit code. Throws MassagerError for bad input and unreachable devices. */
export async function runSession(request: PlayRequest): Promise<number> {
  const clock: Clock = request.fast ? new VirtualClock() : new RealClock();
  if (request.fast && request.device !== "sim") {
    throw new MassagerError(
      ErrorCode.InvalidOption,
      `--fast plays in virtual time, which only the simulator has (--device ${request.device})`,
      {
        hint: "drop --fast, or use --device sim",
      },
    );
  }
  const target = deviceFromSpec(request.device, { clock }, request.schemes ?? defaultDeviceSchemes());
  let trace: TraceFile | undefined;
  try {
    trace = request.trace === undefined ? undefined : new TraceFile(request.trace);
  } catch (error) {
    target.dispose();
    throw error;
  }
  // The simulator's trace is its exact change log; any other device's comes from its TM telemetry.
  if (trace && target.simulator) trace.follow(target.simulator.device.recorder);

  const controller = new Controller({
    transport: target.transport,
    clock,
    telemetryMs: request.fast
      ? FAST_TELEMETRY_MS
      : trace && target.simulator === undefined
        ? TRACE_TELEMETRY_MS
        : TERMINAL_TELEMETRY_MS,
  });
  const intensity = Math.min(request.intensity, request.maxIntensity);
  const reporter: Reporter =
    request.json || !process.stdout.isTTY
      ? jsonReporter(controller, process.stdout)
      : barReporter(controller, request.source.name, process.stdout, {
          intensity,
          keys: request.keys !== undefined,
        });

  // Every ending signal (SIGHUP from a dropped ssh session too), from the moment a controller exists.
  let interrupted = false;
  const signals = guardSignals(() => {
    interrupted = true;
    return controller.emergencyStop();
  });
  // A bug anywhere in the process (a listener, a plugin transport) stops the motors first.
  const guard = guardCrashes(() => controller.emergencyStop());

  const drive = <T>(task: Promise<T>): Promise<T> => (clock instanceof VirtualClock ? clock.runUntil(task) : task);
  let end: SessionEnd | undefined;
  let failure: unknown;
  let keys: LiveKeys | undefined;
  try {
    const info = await drive(controller.connect()).catch(async (error: unknown) => {
      // No answer on a serial port: if it runs StandardFirmata, say so and name the firmata: spec.
      throw target.scheme === "serial" ? await explainSilentSerialPort(error, target.description.slice(7)) : error;
    });
    if (interrupted) {
      // Stopped during the handshake: the guard's ESTOP went out; say so like any other stop.
      reportStopped(signals.signal ?? "SIGINT");
      return ExitCode.Interrupted;
    }
    // A crash while connecting found nothing to stop: never start the motors after it.
    if (guard.crash !== undefined) throw guard.crash.error;
    if (request.verbose) {
      process.stderr.write(`massager: ${target.description}: ${describeDevice(info)}\n`);
      const pins = await drive(controller.pins());
      process.stderr.write(`massager: pins: ${pins ? describePins(pins) : "not reported (a protocol 1.0 device)"}\n`);
    }
    const session = compileSession(request.source, {
      minutes: request.minutes,
      intensity,
      personalMax: request.maxIntensity / 100,
      stepCue: request.stepCue,
      // Its program size and caps; intensity as its gain, so ↑/↓ change it live (1.0: in the levels).
      device: deviceLimitsOf(info),
    });
    if (trace && target.simulator === undefined) traceTelemetry(controller, trace);
    await drive(controller.play(session));
    if (request.keys !== undefined) {
      keys = listenToKeys(request.keys, controller, {
        intensity,
        maxIntensity: request.maxIntensity,
        onIntensity: (percent) => reporter.intensity?.(percent),
        onProblem: (message) => reporter.problem?.(message),
      });
    }
    end = await drive(controller.waitForEnd());
  } catch (error) {
    failure = error;
  } finally {
    keys?.close();
    await drive(controller.close()).catch(() => {});
    reporter.close();
    trace?.close();
    target.dispose();
    signals.dispose();
    guard.dispose();
  }
  if (guard.crash !== undefined) {
    process.stderr.write(crashMessage(guard.crash.error, true));
    return ExitCode.Internal;
  }
  if (interrupted) {
    reportStopped(signals.signal ?? "SIGINT");
    return ExitCode.Interrupted;
  }
  if (failure !== undefined) throw failure;
  if (end?.completed) return ExitCode.Ok;
  if (keys?.stopped && end?.reason === "HOST") {
    process.stderr.write("massager: stopped; the motors are off\n");
    return ExitCode.Ok;
  }
  throw (
    end?.error ?? new MassagerError(ErrorCode.SessionAborted, `the session ended early (${end?.reason ?? "unknown"})`)
  );
}
