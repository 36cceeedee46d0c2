/**
 * What the device panel lists: the simulated massager always (so the app works on first
 * start), then serial ports. A source that fails adds a line to `problems` rather than hiding
 * the others.
 */
import type { DeviceChoice, DeviceLister } from "./device-link.ts";

export const SIMULATOR_CHOICE: DeviceChoice = {
  spec: "sim",
  label: "Simulated massager",
  kind: "simulator",
  detail: "Built in: try everything without hardware.",
};

/** Lists the simulator and the serial ports serialport can see. */
export const listDevices: DeviceLister = async () => {
  const choices: DeviceChoice[] = [SIMULATOR_CHOICE];
  const problems: string[] = [];
  try {
    const { SerialPort } = await import("serialport");
    for (const port of await SerialPort.list()) {
      const maker = [port.manufacturer, port.vendorId && `${port.vendorId}:${port.productId ?? ""}`]
        .filter(Boolean)
        .join(" ");
      choices.push({
        spec: `serial:${port.path}`,
        label: port.path,
        kind: "serial",
        ...(maker ? { detail: maker } : {}),
      });
    }
  } catch (error) {
    problems.push(`Serial ports could not be listed: ${(error as Error).message}`);
  }
  return { choices, problems };
};
