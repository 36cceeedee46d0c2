/** What a device said of itself (ID), in words: `play --verbose` and `doctor` print it with its pins. */
import type { DeviceInfo } from "../../protocol/device-info.ts";

export function describeDevice(info: DeviceInfo): string {
  const can = [
    info.program ? "program playback" : undefined,
    info.stream ? "streaming" : undefined,
    info.stopByte ? "the stop byte" : undefined,
    info.gain ? "live intensity (GAIN)" : undefined,
  ].filter((item) => item !== undefined);
  const percent = (cap: number): string => `${Math.round(cap * 100)} %`;
  return (
    `firmware ${info.firmware} (protocol ${info.protocol}): ${can.join(", ")}; watchdog ${info.watchdogMs} ms, ` +
    `slew ${info.slewMs} ms, caps ${percent(info.vibrationCap)} vibration / ${percent(info.rotationCap)} rotation, ` +
    `${info.pwmBits}-bit PWM`
  );
}
