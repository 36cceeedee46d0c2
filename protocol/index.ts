/** The renderer-safe entry point of the protocol layer: no Node built-ins below this folder. */
export * from "./checksum.ts";
export * from "./codec.ts";
export * from "./commands.ts";
export * from "./easing.ts";
export * from "./errors.ts";
export { EASINGS, type Easing, type WireKey } from "./fields.ts";
export * from "./limits.ts";
export * from "./pattern.ts";
export * from "./player.ts";
export * from "./program.ts";
export * from "./pwm.ts";
export * from "./session.ts";
export * from "./upload.ts";
