/**
 * The access token `massager serve` prints in its URL. API calls carry it in the Authorization
 * header (`Bearer`, any case) and the event socket in its WebSocket subprotocol list
 * (`token.<T>`): never in a cookie, which a browser would send along with another site's
 * request, whatever port that site lives on. The token is kept in the data folder so a bookmark
 * keeps working across restarts; `massager serve --new-token` replaces it.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../app/store/atomic-file.ts";

/** The WebSocket subprotocol the event socket speaks; the token travels beside it as `token.<T>`. */
export const EVENTS_PROTOCOL = "massager.v1";
const TOKEN_PROTOCOL_PREFIX = "token.";

const TOKEN_FILE = "serve-token";
/** Base64url of 128 random bits: 22 characters, all valid in a subprotocol name. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,128}$/;

/** 128 random bits, URL-safe. */
export function createToken(): string {
  return randomBytes(16).toString("base64url");
}

/** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of `Authorization: Bearer <T>`; the scheme is case-insensitive, as HTTP says. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.match(/^\s*bearer\s+(\S+)\s*$/i)?.[1];
}

/** The token of a `Sec-WebSocket-Protocol: massager.v1, token.<T>` list. */
export function subprotocolToken(protocols: string | undefined): string | undefined {
  const entry = protocols
    ?.split(",")
    .map((part) => part.trim())
    .find((part) => part.startsWith(TOKEN_PROTOCOL_PREFIX));
  return entry?.slice(TOKEN_PROTOCOL_PREFIX.length);
}

/**
 * The token kept in `<dataDir>/serve-token` (mode 0600), created on first use or when `rotate`.
 * A file that does not hold a token is replaced; `created` says the bookmark changed.
 */
export async function loadToken(dataDir: string, rotate: boolean): Promise<{ token: string; created: boolean }> {
  const file = join(dataDir, TOKEN_FILE);
  if (!rotate) {
    try {
      const kept = (await readFile(file, "utf8")).trim();
      if (TOKEN_SHAPE.test(kept)) return { token: kept, created: false };
    } catch {
      // missing or unreadable: a new one below
    }
  }
  const token = createToken();
  await writeFileAtomic(file, `${token}\n`);
  return { token, created: true };
}
