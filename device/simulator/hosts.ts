/**
 * The simulated massager served to other processes: on a pseudo-terminal (a socat pty pair:
 * the simulator opens one end with serialport, clients open the other like a real board) or
 * on TCP (one client at a time; a new connection replaces the old one).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { RealClock } from "../clock.ts";
import { SerialTransport } from "../transport/serial.ts";
import { TcpTransport } from "../transport/tcp.ts";
import { SimulatedDevice, type SimulatedDeviceOptions } from "./simulated-device.ts";

export interface HostedSimulator {
  device: SimulatedDevice;
  /** What a client opens: a pty path, or `127.0.0.1:PORT`. */
  address: string;
  /** The device spec a client passes to `--device`. */
  spec: string;
  /** The socat process behind a pty host (tests kill it by PID to pull the "cable"). */
  socatPid?: number;
  /** Stops the device (outputs to zero) and releases the pty or the port. */
  close(): Promise<void>;
}

export type HostOptions = Partial<SimulatedDeviceOptions> & {
  /** Called when the host fails after start (socat died, the port closed). */
  onFailure?: (error: MassagerError) => void;
  /**
   * A pty host's client end as a symlink at this path instead of the bare /dev/pts/N. The kernel
   * reuses pty numbers at once, so a client still retrying the path of a pair that is gone would
   * open (and lock) the next pair that gets its number; a symlink removed on close cannot be reused.
   */
  clientLink?: string;
};

/** Serves a simulated device on a new pseudo-terminal pair made by socat. */
export async function hostOnPty(options: HostOptions = {}): Promise<HostedSimulator> {
  const socat = await startSocatPair(3000, options.clientLink);
  const device = new SimulatedDevice({ clock: new RealClock(), keepRecord: false, ...options });
  const transport = new SerialTransport({ path: socat.devicePath });
  try {
    await transport.open();
  } catch (error) {
    socat.process.kill("SIGTERM");
    throw error;
  }
  device.attach(transport);
  device.start();
  let closed = false;
  transport.on("disconnect", (error) => {
    if (!closed) options.onFailure?.(error);
  });
  socat.process.once("exit", () => {
    if (!closed) options.onFailure?.(new MassagerError(ErrorCode.Disconnected, "socat exited: the pty is gone"));
  });
  return {
    device,
    address: socat.clientPath,
    spec: `serial:${socat.clientPath}`,
    ...(socat.process.pid !== undefined ? { socatPid: socat.process.pid } : {}),
    close: async () => {
      closed = true;
      device.stop();
      await transport.close();
      socat.process.kill("SIGTERM");
      if (options.clientLink) rmSync(options.clientLink, { force: true });
    },
  };
}

/** Serves a simulated device on TCP `port` (0: any free port) on 127.0.0.1, or `host`. */
export async function hostOnTcp(port: number, options: HostOptions & { host?: string } = {}): Promise<HostedSimulator> {
  const device = new SimulatedDevice({ clock: new RealClock(), keepRecord: false, ...options }).start();
  const sockets = new Set<Socket>();
  let current: TcpTransport | undefined;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    const previous = current;
    current = TcpTransport.accepted(socket);
    void previous?.close();
    void current.open();
    device.attach(current);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      // The device is already running: stop it, or its timers keep the process alive.
      device.stop();
      reject(
        new MassagerError(
          error.code === "EADDRINUSE" ? ErrorCode.PortBusy : ErrorCode.TransportFailed,
          `tcp:${host}:${port}: cannot listen (${error.code ?? error.message})`,
          { hint: "choose another port, or stop what listens there", cause: error },
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    device,
    address: `${host}:${bound}`,
    spec: `tcp:${host}:${bound}`,
    close: async () => {
      device.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface SocatPair {
  process: ChildProcess;
  /** The end the simulator opens. */
  devicePath: string;
  /** The end clients open. */
  clientPath: string;
}

/**
 * Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0,ignoreeof` and reads the two pty paths from its
 * log on stderr. `ignoreeof` on the client's end keeps the pair alive when a client closes it,
 * so the same pty can be opened again.
 */
function startSocatPair(timeoutMs = 3000, clientLink?: string): Promise<SocatPair> {
  return new Promise((resolve, reject) => {
    const client = `pty,raw,echo=0,ignoreeof${clientLink ? `,link=${clientLink}` : ""}`;
    const socat = ["socat", "-d", "-d", "pty,raw,echo=0", client];
    // socat outlives a simulator that is killed outright; where util-linux's setpriv exists, the
    // kernel kills socat with it (it execs socat, so the PID stays socat's).
    const command = existsSync("/usr/bin/setpriv")
      ? ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--", ...socat]
      : socat;
    const child = spawn(command[0] as string, command.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    const paths: string[] = [];
    let log = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new MassagerError(ErrorCode.TransportFailed, `socat made no pty pair within ${timeoutMs} ms: ${log}`));
    }, timeoutMs);
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new MassagerError(ErrorCode.TransportFailed, `cannot run socat (${error.code ?? error.message})`, {
          hint: "install it: sudo apt-get install socat",
          cause: error,
        }),
      );
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      log += text;
      for (const match of text.matchAll(/PTY is (\S+)/g)) paths.push(match[1] as string);
      if (paths.length === 2) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        resolve({ process: child, devicePath: paths[0] as string, clientPath: clientLink ?? (paths[1] as string) });
      }
    });
  });
}
