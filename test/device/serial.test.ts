import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { type SerialBinding, SerialTransport } from "../../device/transport/serial.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";

/** `@serialport/binding-mock`, as serialport re-exports it (its own package has no ESM types). */
const MockBinding = SerialPortMock.binding;
type MockPortBinding = Awaited<ReturnType<typeof MockBinding.open>>;

/** The mock binding, keeping each port it opens so a test can play the device's side and pull the cable. */
function capturingBinding() {
  const opened: Array<{ port: MockPortBinding; unplug: () => void }> = [];
  const binding = {
    ...MockBinding,
    async open(options: Parameters<typeof MockBinding.open>[0]) {
      const port = await MockBinding.open(options);
      let unplugged: ((error: Error) => void) | undefined;
      const gone = new Promise<never>((_, reject) => {
        unplugged = reject;
      });
      gone.catch(() => {});
      const read = port.read.bind(port);
      port.read = (buffer, offset, length) => Promise.race([read(buffer, offset, length), gone]);
      opened.push({ port, unplug: () => unplugged?.(new Error("EIO: the device went away")) });
      return port;
    },
  } as unknown as SerialBinding;
  return { binding, opened };
}

afterEach(() => MockBinding.reset());

describe("the serial transport (mock binding)", () => {
  it("names a missing port, a busy port and a denied port, each with its fix", async () => {
    MockBinding.createPort("/dev/ttyMOCK0");
    const missing = await new SerialTransport({ path: "/dev/ttyNOPE", binding: MockBinding }).open().catch((e) => e);
    expect(isMassagerError(missing, ErrorCode.PortNotFound)).toBe(true);
    expect(missing.hint).toMatch(/massager ports/);

    const first = new SerialTransport({ path: "/dev/ttyMOCK0", binding: MockBinding });
    await first.open();
    const busy = await new SerialTransport({ path: "/dev/ttyMOCK0", binding: MockBinding }).open().catch((e) => e);
    expect(isMassagerError(busy, ErrorCode.PortBusy)).toBe(true);
    await first.close();

    const denying = {
      ...MockBinding,
      open: () => Promise.reject(new Error("Error: Permission denied, cannot open /dev/ttyUSB0")),
    } as unknown as SerialBinding;
    const denied = await new SerialTransport({ path: "/dev/ttyUSB0", binding: denying }).open().catch((e) => e);
    expect(isMassagerError(denied, ErrorCode.PermissionDenied)).toBe(true);
    expect(denied.message).toBe("serial:/dev/ttyUSB0: permission denied (E302 PermissionDenied)");
    expect(denied.hint).toMatch(/dialout/);
  });

  it("writes frames with a line ending and reads lines split anywhere, CR stripped", async () => {
    MockBinding.createPort("/dev/ttyMOCK1", { record: true });
    const { binding, opened } = capturingBinding();
    const transport = new SerialTransport({ path: "/dev/ttyMOCK1", binding });
    await transport.open();
    const lines: string[] = [];
    transport.on("line", (line) => lines.push(line));
    await transport.send("PING 1*AD");
    const port = opened[0]?.port;
    expect(port?.recording.toString("latin1")).toBe("PING 1*AD\n");
    port?.emitData("OK 1*");
    port?.emitData("4F\r\nST IDLE BOOT 0 0*00\n# log line\n");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toEqual(["OK 1*4F", "ST IDLE BOOT 0 0*00", "# log line"]);
    await transport.close();
  });

  it("reports an unplugged cable as a disconnect, and not after close()", async () => {
    MockBinding.createPort("/dev/ttyMOCK2");
    const { binding, opened } = capturingBinding();
    const transport = new SerialTransport({ path: "/dev/ttyMOCK2", binding });
    await transport.open();
    const lost = new Promise((resolve) => transport.once("disconnect", resolve));
    opened[0]?.unplug();
    const error = await lost;
    expect(isMassagerError(error, ErrorCode.Disconnected)).toBe(true);
    expect(transport.isOpen).toBe(false);
    await expect(transport.send("PING 2*00")).rejects.toSatisfy((e) => isMassagerError(e, ErrorCode.Disconnected));
  });
});
