/**
 * Field descriptions for the command table. Each kind knows how to write its value as a
 * token and how to read it back; the encoder and decoder only walk the table.
 */
import { FULL_SCALE, MAX_KEY_DURATION_MS, MAX_KEYS_PER_FRAME } from "./limits.ts";

export interface UintField<N extends string = string> {
  readonly kind: "uint";
  readonly name: N;
  readonly min: number;
  readonly max: number;
}
export interface IntField<N extends string = string> {
  readonly kind: "int";
  readonly name: N;
  readonly min: number;
  readonly max: number;
}
export interface EnumField<N extends string = string, V extends string = string> {
  readonly kind: "enum";
  readonly name: N;
  readonly values: readonly V[];
}
export interface VersionField<N extends string = string> {
  readonly kind: "version";
  readonly name: N;
}
/** A variadic tail of 1..MAX_KEYS_PER_FRAME keyframe tokens `dt,value,ease`. */
export interface KeysField<N extends string = string> {
  readonly kind: "keys";
  readonly name: N;
}

export type Field = UintField | IntField | EnumField | VersionField | KeysField;

export const uint = <N extends string>(name: N, min: number, max: number): UintField<N> => ({
  kind: "uint",
  name,
  min,
  max,
});
export const int = <N extends string>(name: N, min: number, max: number): IntField<N> => ({
  kind: "int",
  name,
  min,
  max,
});
export const oneOf = <N extends string, const V extends string>(name: N, values: readonly V[]): EnumField<N, V> => ({
  kind: "enum",
  name,
  values,
});
export const version = <N extends string>(name: N): VersionField<N> => ({ kind: "version", name });
export const keys = <N extends string>(name: N): KeysField<N> => ({ kind: "keys", name });

/**
 * Easing codes on the wire. Every curve is computed in integer fixed point (see easing.ts),
 * so the firmware and the host agree to the last permille.
 */
export const EASINGS = ["step", "linear", "easeIn", "easeOut", "easeInOut", "sine"] as const;
export type Easing = (typeof EASINGS)[number];

/** One keyframe as it travels: reach `value` after `dtMs`, along `ease`. */
export interface WireKey {
  dtMs: number;
  value: number;
  ease: Easing;
}

export type FieldValue<F> = F extends UintField | IntField
  ? number
  : F extends EnumField<string, infer V>
    ? V
    : F extends VersionField
      ? string
      : F extends KeysField
        ? WireKey[]
        : never;

// Canonical decimal: no leading zeros, no "+", and no "-0" (zero has one spelling).
const INTEGER = /^(0|-?[1-9][0-9]*)$/;
const VERSION = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

export type TokenResult<T> = { ok: true; value: T } | { ok: false; outOfRange: boolean; reason: string };

function readInteger(token: string, min: number, max: number, what: string): TokenResult<number> {
  if (!INTEGER.test(token) || token.length > 11) {
    return { ok: false, outOfRange: false, reason: `${what}: "${token}" is not an integer` };
  }
  const value = Number(token);
  if (value < min || value > max) {
    return { ok: false, outOfRange: true, reason: `${what}: ${value} is outside ${min}..${max}` };
  }
  return { ok: true, value };
}

export function readKey(token: string, what: string): TokenResult<WireKey> {
  const parts = token.split(",");
  if (parts.length !== 3) {
    return { ok: false, outOfRange: false, reason: `${what}: "${token}" is not dt,value,ease` };
  }
  const [dtText = "", valueText = "", easeText = ""] = parts;
  const dt = readInteger(dtText, 1, MAX_KEY_DURATION_MS, `${what} duration`);
  const value = readInteger(valueText, -FULL_SCALE, FULL_SCALE, `${what} value`);
  const ease = readInteger(easeText, 0, EASINGS.length - 1, `${what} easing`);
  // Form before range (PROTOCOL.md, "Errors"): a malformed part wins over an out-of-range one.
  if (!dt.ok || !value.ok || !ease.ok) {
    const failures = [dt, value, ease].flatMap((part) => (part.ok ? [] : [part]));
    const malformed = failures.find((part) => !part.outOfRange);
    return malformed ?? failures[0] ?? { ok: false, outOfRange: false, reason: `${what}: "${token}" is invalid` };
  }
  return { ok: true, value: { dtMs: dt.value, value: value.value, ease: EASINGS[ease.value] ?? "step" } };
}

export function writeKey(key: WireKey): string {
  return `${key.dtMs},${key.value},${EASINGS.indexOf(key.ease)}`;
}

/** Reads one token for a scalar field. */
export function readScalar(field: Exclude<Field, KeysField>, token: string): TokenResult<number | string> {
  switch (field.kind) {
    case "uint":
    case "int":
      return readInteger(token, field.min, field.max, field.name);
    case "enum":
      return field.values.includes(token)
        ? { ok: true, value: token }
        : { ok: false, outOfRange: true, reason: `${field.name}: "${token}" is not one of ${field.values.join("|")}` };
    case "version":
      return VERSION.test(token)
        ? { ok: true, value: token }
        : { ok: false, outOfRange: false, reason: `${field.name}: "${token}" is not a version like 1.2.3` };
  }
}

export const MAX_KEYS = MAX_KEYS_PER_FRAME;
