/**
 * A request sent again when its reply does not come in time (issue: one lost frame or reply must
 * not end a session). Each attempt has a new sequence number; a late reply to an earlier one is
 * noise. For a request that changes the device's state (START, STREAM, PAUSE, RESUME), BadState
 * on a later attempt means an earlier one took effect and only its reply was lost.
 */
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import type { FrameLink, Reply, Request } from "./link.ts";

export interface RetryOptions {
  /** Attempts in all (at least 1). */
  attempts: number;
  /** Called before every attempt; throws to give up (the session was stopped meanwhile). */
  beforeAttempt?: () => void;
  /** BadState after a timed-out attempt counts as success (the request changes the device's state). */
  changesState?: boolean;
}

export async function requestWithRetry(link: FrameLink, message: Request, options: RetryOptions): Promise<Reply> {
  const attempts = Math.max(1, Math.floor(options.attempts));
  for (let attempt = 1; ; attempt++) {
    options.beforeAttempt?.();
    try {
      return await link.request(message);
    } catch (error) {
      if (attempt > 1 && options.changesState && isMassagerError(error, ErrorCode.BadState)) {
        return { type: "OK", seq: 0 };
      }
      if (!isMassagerError(error, ErrorCode.Timeout) || attempt >= attempts) throw error;
    }
  }
}
