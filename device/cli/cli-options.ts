/** What a caller of runCli passes besides the command line. */
import type { DeviceSchemes } from "../composition/device-schemes.ts";

export interface CliOptions {
  /**
   * More `--device` schemes for play and serve, on top of defaultDeviceSchemes(): how a test runs
   * the real command on a transport of its own (test/device/support/crash-launcher.ts).
   */
  extraDeviceSchemes?: DeviceSchemes;
}
