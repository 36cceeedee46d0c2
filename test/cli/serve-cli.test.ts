/**
 * `massager serve` as a person starts it: the token kept across restarts (a bookmark keeps
 * working) and replaced by --new-token; --host 0.0.0.0 and :: print a usable URL for every
 * address with the LAN warning and a QR code; --tls makes a self-signed certificate once and
 * prints its fingerprint, which the HTTPS connection then matches; a broken settings file is
 * named once at start.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { interfaceAddresses } from "../../device/serve/addresses.ts";
import { stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";
import { startServe } from "../support/serve-process.ts";

const dirs: string[] = [];
afterAll(async () => {
  await stopAll();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "massager-serve-cli-"));
  dirs.push(dir);
  return dir;
}

describe("massager serve", () => {
  it("keeps its token across restarts, and --new-token replaces it", async () => {
    const dir = await dataDir();
    const first = await startServe(["--data-dir", dir, "--device", "sim"]);
    await first.stop();
    const second = await startServe(["--data-dir", dir, "--device", "sim"]);
    await second.stop();
    expect(second.token).toBe(first.token);
    const rotated = await startServe(["--data-dir", dir, "--device", "sim", "--new-token"]);
    // The URL line comes first; the notice may follow in a later chunk on a busy machine.
    await rotated.process.line(/A new access token/, 20_000);
    await rotated.stop();
    expect(rotated.token).not.toBe(first.token);
    expect((await readFile(join(dir, "serve-token"), "utf8")).trim()).toBe(rotated.token);
  }, 120_000);

  it("--host 0.0.0.0 prints a URL for loopback and each LAN address, the warning, and a QR code", async () => {
    const serve = await startServe(["--data-dir", await dataDir(), "--host", "0.0.0.0"]);
    await serve.process.line(/Press Ctrl-C/, 20_000);
    const output = serve.process.stdout();
    await serve.stop();
    expect(serve.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).not.toContain("0.0.0.0");
    for (const address of interfaceAddresses()) {
      const host = address.includes(":") ? `[${address}]` : address;
      expect(output).toContain(`also: http://${host}:`);
    }
    expect(output).toContain("Open to your network");
    if (interfaceAddresses().length > 0) expect(output).toMatch(/Scan to open on your phone:\n[▀▄█ ]+\n/);
  }, 60_000);

  it("--host :: never prints [::], which no browser opens", async () => {
    const run = startMassager(["serve", "--port", "0", "--host", "::", "--data-dir", await dataDir()], 60_000);
    const first = await run.line(/Massager app:|cannot serve/, 30_000).catch(() => run.output());
    await run.stop(5000, "SIGINT");
    if (/cannot serve/.test(run.output())) return; // no IPv6 on this machine: nothing to print
    expect(first).toMatch(/Massager app: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(run.stdout()).not.toContain("[::]");
  }, 60_000);

  it("--tls makes a certificate once, prints its fingerprint, and serves HTTPS with it", async () => {
    const dir = await dataDir();
    const start = async () => {
      const run = startMassager(["serve", "--port", "0", "--tls", "--data-dir", dir], 60_000);
      const line = await run.line(/Massager app: https:\/\/\S+/, 30_000);
      await run.line(/^ {2}([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 10_000);
      return { run, url: new URL(line.replace(/^.*Massager app: /, "")) };
    };
    const first = await start();
    const fingerprint = /([0-9A-F]{2}:){31}[0-9A-F]{2}/.exec(first.run.stdout())?.[0];
    expect(first.run.stdout()).toContain("made just now");
    const ca = await readFile(join(dir, "serve-tls", "cert.pem"), "utf8");
    // Verified against the kept certificate (not merely accepted), as a phone that trusted it would.
    const seen = await new Promise<{ status: number; fingerprint: string }>((resolve, reject) => {
      const req = request(first.url, { ca, method: "GET" }, (res) => {
        res.resume();
        const peer = (res.socket as import("node:tls").TLSSocket).getPeerCertificate();
        resolve({ status: res.statusCode ?? 0, fingerprint: peer.fingerprint256 });
      });
      req.on("error", reject);
      req.end();
    });
    await first.run.stop(5000, "SIGINT");
    expect(seen).toEqual({ status: 200, fingerprint });
    const second = await start();
    await second.run.stop(5000, "SIGINT");
    expect(second.run.stdout()).not.toContain("made just now");
    expect(second.run.stdout()).toContain(fingerprint);
  }, 120_000);

  it("names a broken settings file once at start, keeps it aside and starts with defaults", async () => {
    const dir = await dataDir();
    await writeFile(join(dir, "settings.json"), "{ broken");
    const serve = await startServe(["--data-dir", dir]);
    await serve.process.line(/Press Ctrl-C/, 20_000);
    await serve.stop();
    const notes = serve.process
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("Note: "));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/settings\.json was broken .* kept as settings\.json\.broken-/);
  }, 60_000);
});
