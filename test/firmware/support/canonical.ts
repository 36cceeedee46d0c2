/**
 * One text form for a decoded request, shared by the TypeScript codec's messages and the
 * native driver's output: `NAME seq field ...`, keyframes as `dt,value,easeCode`; a device
 * frame as `NAME seq *`.
 */
import {
  COMMANDS,
  type CommandName,
  EASINGS,
  type Easing,
  type Message,
  type WireKey,
} from "../../../protocol/index.ts";

export function canonicalMessage(message: Message): string {
  const record = message as unknown as Record<string, unknown>;
  const def = COMMANDS[message.type as CommandName];
  // The firmware only checks a device frame (to refuse it); it keeps none of its fields.
  if (def.from === "device") return `${message.type} ${String(record.seq ?? 0)} *`;
  const parts: string[] = [message.type];
  if (def.seq) parts.push(String(record.seq));
  for (const field of def.fields) {
    const value = record[field.name];
    if (field.kind === "keys") {
      for (const key of value as WireKey[])
        parts.push(`${key.dtMs},${key.value},${EASINGS.indexOf(key.ease as Easing)}`);
    } else {
      parts.push(String(value));
    }
  }
  return parts.join(" ");
}
