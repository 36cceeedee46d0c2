/** A session request made into what the device plays, under the person's maximums, with its chart. */
import type { CompiledSession } from "../../protocol/session.ts";
import type { Timeline } from "./contract.ts";

export interface SessionPlan {
  session: CompiledSession;
  /** What was asked, after the person's maximums were applied. */
  minutes: number;
  intensity: number;
  timeline: Timeline;
}
