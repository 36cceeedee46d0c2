/**
 * Spoken cues through the Web Speech API's speech synthesis. Only voices on this machine
 * (localService) are used, so nothing is sent anywhere; where there is none, the guide
 * chimes alone.
 */

export interface VoiceChoice {
  name: string;
  lang: string;
}

function synth(): SpeechSynthesis | undefined {
  return typeof speechSynthesis === "undefined" ? undefined : speechSynthesis;
}

/** The offline voices, the page's language first. */
export function offlineVoices(): SpeechSynthesisVoice[] {
  const voices = synth()?.getVoices() ?? [];
  const lang = (document.documentElement.lang || "en").toLowerCase();
  return voices
    .filter((voice) => voice.localService)
    .sort((a, b) => Number(b.lang.toLowerCase().startsWith(lang)) - Number(a.lang.toLowerCase().startsWith(lang)));
}

/** Calls `listener` when the browser has loaded its voices (they arrive late in Chromium). */
export function onVoicesChanged(listener: () => void): void {
  synth()?.addEventListener?.("voiceschanged", listener);
}

/** Says `text` with the chosen voice (or the first offline one); false when no voice exists. */
export function speak(text: string, options: { voice: string; volume: number }): boolean {
  const speech = synth();
  if (!speech || typeof SpeechSynthesisUtterance === "undefined") return false;
  const voices = offlineVoices();
  const voice = voices.find((v) => v.name === options.voice) ?? voices[0];
  if (!voice) return false;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.volume = options.volume;
  utterance.rate = 0.95;
  // A new cue replaces one still being said: the person needs the current step, not a queue.
  speech.cancel();
  speech.speak(utterance);
  return true;
}

export function silence(): void {
  synth()?.cancel();
}
