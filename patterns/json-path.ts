/** Writes a zod issue path the way editors and jq show it: `$.vibration[2].to`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let text = "$";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_$][\w$]*$/.test(part)) text += `.${part}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}
