/**
 * The byte-stream transports cut lines themselves (device/transport/line-stream.ts), as the
 * readline parser they replaced did: at every `\n` however the chunks fall, latin1, empty
 * lines skipped, one trailing `\r` dropped, the stop byte seen before the lines of its chunk
 * and the partial line it interrupted dropped; the rest is a line when the stream ends.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { LineStreamTransport } from "../../device/transport/line-stream.ts";

class PassThroughTransport extends LineStreamTransport<PassThrough> {
  readonly source = new PassThrough();
  constructor() {
    super("test", "the stream closed");
  }
  protected async openStream(): Promise<PassThrough> {
    return this.source;
  }
  protected async closeStream(stream: PassThrough): Promise<void> {
    stream.destroy();
  }
}

describe("line cutting on a byte stream", () => {
  it("cuts lines across chunks as the readline parser did, and sees the stop byte first", async () => {
    const transport = new PassThroughTransport();
    await transport.open();
    const events: string[] = [];
    transport.on("line", (line) => events.push(`line ${JSON.stringify(line)}`));
    transport.on("stopByte", () => events.push("stopByte"));
    const chunks = [
      "OK",
      " 1*4F",
      "\r\n\nTM 1 2",
      " 3*00\nPI",
      "NG\u00e9\n",
      "\n\r\n",
      "SET 1 2\u0018",
      "STATUS 4*00\nST",
      "OP",
    ];
    for (const chunk of chunks) transport.source.write(Buffer.from(chunk, "latin1"));
    transport.source.end();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([
      'line "OK 1*4F"',
      'line "TM 1 2 3*00"',
      'line "PING\u00e9"',
      'line ""', // "\r\n": a line that is only a CR is not empty before the CR goes
      "stopByte",
      'line "STATUS 4*00"',
      'line "STOP"', // the rest, when the stream ends
    ]);
    await transport.close();
  });
});
