/**
 * Uploads one program (LOAD, BLK, KEY ..., COMMIT) over a link, starting again from LOAD when the
 * link loses or damages a line on the way. LOAD clears whatever the device stored, so a retry
 * never mixes attempts; a reply that arrives after its timeout carries an old sequence number and
 * is ignored as noise.
 */
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { uploadFrames } from "../../protocol/upload.ts";
import type { FrameLink } from "./link.ts";

export interface UploadOptions {
  /** Attempts in all (at least 1). */
  attempts: number;
  /** Called before every frame; throws to abandon the upload (an emergency stop, a soft stop). */
  beforeFrame: () => void;
}

/**
 * Failures that say a line was lost or damaged between host and device, not that the device
 * refused the program: no reply in time, or a frame the encoder wrote correctly read back as a
 * bad or missing checksum or as too long (noise merged into it).
 */
function lostOnTheWay(error: unknown): error is MassagerError {
  return (
    isMassagerError(error, ErrorCode.Timeout) ||
    isMassagerError(error, ErrorCode.BadChecksum) ||
    isMassagerError(error, ErrorCode.MissingChecksum) ||
    isMassagerError(error, ErrorCode.LineTooLong)
  );
}

/** Uploads `program`; rejects with the device's refusal at once, or with Timeout once every attempt lost a line. */
export async function uploadProgram(link: FrameLink, program: WireProgram, options: UploadOptions): Promise<void> {
  const frames = uploadFrames(program);
  const attempts = Math.max(1, Math.floor(options.attempts));
  for (let attempt = 1; ; attempt++) {
    let sending = frames[0]?.type ?? "LOAD";
    try {
      for (const frame of frames) {
        options.beforeFrame();
        sending = frame.type;
        await link.request(frame);
      }
      return;
    } catch (error) {
      if (!lostOnTheWay(error) || attempts === 1) throw error;
      if (attempt >= attempts) {
        throw new MassagerError(
          ErrorCode.Timeout,
          `${link.transport.description}: the program upload lost a line on each of ${attempts} attempts (last: ${sending}, ${lossText(error)})`,
          {
            hint: "the link drops or damages lines: check the cable and the connection (for serial, 115200 baud and a short USB cable)",
            cause: error,
          },
        );
      }
    }
  }
}

function lossText(error: MassagerError): string {
  return error.code === ErrorCode.Timeout ? "no reply in time" : "damaged on the way";
}
