/**
 * The audio guide: watches the status, and at each cue (see cues.ts) plays the chime, says
 * the cue and puts it in the live region for screen readers. Muted in Settings, only the
 * live region speaks.
 */
import type { AppStatus, Settings } from "../../../device/app/contract.ts";
import { chime } from "./chime.ts";
import { advanceGuide, type Cue, type GuideState, INITIAL_GUIDE } from "./cues.ts";
import { speak } from "./speech.ts";

export class Guide {
  private state: GuideState = INITIAL_GUIDE;

  /** `announce` puts the cue's text in the page's live region. */
  constructor(private readonly announce: (cue: Cue) => void) {}

  observe(status: AppStatus, settings: Settings): void {
    const { state, cues } = advanceGuide(this.state, status);
    this.state = state;
    for (const cue of cues) this.play(cue, settings);
  }

  private play(cue: Cue, settings: Settings): void {
    const { muted, volume, voice } = settings.guidance;
    if (!muted && volume > 0) {
      chime(volume);
      speak(cue.text, { voice, volume });
    }
    this.announce(cue);
  }
}
