/**
 * The stop byte over real byte streams (issue 11 part 1): from the controller's emergencyStop()
 * through serialport on a socat pty, and through TCP, to a simulator in this process's other end.
 * The device has already stopped, by the byte, when the ESTOP frame behind it arrives.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Controller } from "../../device/controller/controller.ts";
import type { HostedSimulator } from "../../device/simulator/hosts.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import { TcpTransport } from "../../device/transport/tcp.ts";
import type { Transport } from "../../device/transport/transport.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { hostedSimulators } from "../support/hosted-simulators.ts";
import { sessionOf } from "../support/sessions.ts";
import { haveCommands } from "../support/tools.ts";
import { until } from "../support/wait.ts";

const haveSocat = haveCommands("the stop byte over a pty", ["socat"], "apt-get install socat");

const hold: WireProgram = {
  blocks: [{ durationMs: 60_000, step: 0, vib: [{ dtMs: 50, value: 600, ease: "step" }], rot: [] }],
};

async function stopByteFirst(host: HostedSimulator, transport: () => Transport): Promise<string> {
  let stateAtFrame = "";
  host.device.use({
    name: "state when ESTOP arrives",
    inbound: (line, next) => {
      if (line.startsWith("ESTOP")) stateAtFrame ||= `${host.device.core.state.state} ${host.device.core.state.reason}`;
      next(line);
    },
  });
  const controller = new Controller({ transport });
  try {
    const info = await controller.connect();
    expect(info.stopByte).toBe(true);
    stateAtFrame = ""; // the ESTOP every connection starts with does not count
    await controller.play(sessionOf(hold));
    await until(
      () => host.device.core.state.applied.vib > 0,
      10_000,
      () => "the motor to start",
    );
    await controller.emergencyStop();
    await until(
      () => stateAtFrame !== "",
      10_000,
      () => "the ESTOP frame to arrive",
    );
    expect(host.device.core.state.applied).toEqual({ vib: 0, rot: 0 });
    return stateAtFrame;
  } finally {
    await controller.close();
  }
}

describe("the stop byte on a byte stream", { timeout: 30_000 }, () => {
  const sims = hostedSimulators();
  afterEach(() => sims.closeAll());

  it.skipIf(!haveSocat)("over serialport and a pty: the device stops on the byte, before the ESTOP frame", async () => {
    const { host } = await sims.pty();
    expect(await stopByteFirst(host, () => new SerialTransport({ path: host.address }))).toBe("IDLE ESTOP");
  });

  it("over TCP: the device stops on the byte, before the ESTOP frame", async () => {
    const { host } = await sims.tcp();
    const [hostName, port] = host.address.split(":");
    expect(await stopByteFirst(host, () => new TcpTransport({ host: hostName ?? "", port: Number(port) }))).toBe(
      "IDLE ESTOP",
    );
  });
});
