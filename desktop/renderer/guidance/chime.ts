/**
 * The chime before each spoken cue: two soft rising tones made with Web Audio (no sound
 * files). Browsers only let a page make sound after a click or key press, so the audio
 * context is created on the first one (see unlockAudio).
 */

let context: AudioContext | undefined;

/** Call from a user gesture (the Start button, a key): creates or resumes the audio context. */
export function unlockAudio(): void {
  if (typeof AudioContext === "undefined") return;
  context ??= new AudioContext();
  if (context.state === "suspended") void context.resume().catch(() => undefined);
}

/** Plays the chime at `volume` (0..1); it lasts about 0.3 s. */
export function chime(volume: number): void {
  if (typeof AudioContext === "undefined") return;
  context ??= new AudioContext();
  const audio = context;
  const start = audio.currentTime + 0.01;
  for (const [index, frequency] of [660, 880].entries()) {
    const at = start + index * 0.14;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    // A quick attack and a gentle decay: a chime, not a beep.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.4 * volume, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.26);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.28);
  }
}
