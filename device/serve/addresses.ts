/**
 * The names `massager serve` is really reachable at, for the Host and Origin checks and for the
 * URLs it prints. A request naming any other host (a DNS-rebinding page: `evil.example` that
 * resolves to 127.0.0.1) or coming from any other origin (another site, even on another port of
 * this machine) is refused.
 *
 *   --host 127.0.0.1 / ::1 / localhost ─► loopback names only
 *   --host 0.0.0.0 / ::               ─► loopback names + every address of this machine's interfaces
 *   --host 192.168.1.20               ─► that address (+ loopback names when it is one)
 */
import { networkInterfaces } from "node:os";

export interface Reachable {
  /** `host:port` values a Host header may carry (lower case, IPv6 in brackets). */
  hosts: Set<string>;
  /** `scheme://host:port` values an Origin header may carry. */
  origins: Set<string>;
  /** Base URLs a person can open, the first the one to print first (`http://127.0.0.1:8723`). */
  urls: string[];
  /** Whether other machines can reach the server (a wildcard or a non-loopback address). */
  lan: boolean;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

/** An address as it appears in a URL's host: IPv6 in brackets. */
function hostInUrl(address: string): string {
  return address.includes(":") && !address.startsWith("[") ? `[${address}]` : address;
}

/**
 * The machine's own addresses a phone on the LAN can use: IPv4 and global IPv6, never the
 * link-local fe80:: ones (a browser would need the zone id, which it does not accept in a URL).
 */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((net) => net !== undefined && !net.internal)
    .filter((net) => net?.family === "IPv4" || !net?.address.toLowerCase().startsWith("fe80"))
    .sort((a, b) => (a?.family === b?.family ? 0 : a?.family === "IPv4" ? -1 : 1))
    .map((net) => net?.address ?? "");
}

/** What the server listening on `host`:`port` answers to. */
export function reachable(
  host: string,
  port: number,
  scheme: "http" | "https",
  lanAddresses = interfaceAddresses(),
): Reachable {
  const names: string[] = [];
  if (isWildcard(host)) names.push(...LOOPBACK_NAMES, ...lanAddresses.map(hostInUrl));
  else if (isLoopback(host)) names.push(...LOOPBACK_NAMES, hostInUrl(host));
  else names.push(hostInUrl(host));
  const unique = [...new Set(names.map((name) => name.toLowerCase()))];
  const hosts = new Set(unique.map((name) => `${name}:${port}`));
  const origins = new Set(unique.map((name) => `${scheme}://${name}:${port}`));
  // What to print: for a wildcard, the loopback address and then each LAN address.
  const printable = isWildcard(host)
    ? ["127.0.0.1", ...lanAddresses.map(hostInUrl)]
    : [hostInUrl(host === "localhost" ? "127.0.0.1" : host)];
  return {
    hosts,
    origins,
    urls: [...new Set(printable)].map((name) => `${scheme}://${name}:${port}`),
    lan: !isLoopback(host),
  };
}

/** The Host header normalised for comparison: lower case, default port made explicit. */
export function normaliseHost(header: string | undefined, scheme: "http" | "https"): string | undefined {
  if (!header) return undefined;
  const lower = header.trim().toLowerCase();
  if (/:\d+$/.test(lower) && !/^\[[^\]]*$/.test(lower)) return lower;
  return `${lower}:${scheme === "https" ? 443 : 80}`;
}
