/** The access token `massager serve` prints in its URL and checks on every request and socket. */
import { randomBytes, timingSafeEqual } from "node:crypto";

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

/** The token a request carries: `Authorization: Bearer`, then `?token=`, then the session cookie. */
export function tokenOf(headers: { authorization?: string | undefined; cookie?: string | undefined }, url: URL) {
  const bearer = headers.authorization?.match(/^Bearer (\S+)$/)?.[1];
  if (bearer) return bearer;
  const query = url.searchParams.get("token");
  if (query) return query;
  return headers.cookie
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === TOKEN_COOKIE)?.[1];
}

export const TOKEN_COOKIE = "massager_token";
