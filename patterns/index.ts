/** The renderer-safe entry point of the patterns layer: the library, the compiler, recommendation. */
export * from "./compiler.ts";
export * from "./default-minutes.ts";
export * from "./hair-minutes.ts";
export * from "./json-path.ts";
export * from "./library/index.ts";
export * from "./recommend.ts";
export * from "./validate.ts";
