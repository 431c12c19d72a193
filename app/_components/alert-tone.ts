"use client";

/**
 * A short two-tone chime made with the Web Audio API (no sound file to download). Browsers only
 * let a page make sound after the user has interacted with it; `unlockAlertTone` is called on the
 * first click or key press so that later alerts can sound.
 */
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof window === "undefined" || !("AudioContext" in window)) return null;
  context ??= new AudioContext();
  return context;
}

export function unlockAlertTone(): void {
  const ctx = audio();
  if (ctx && ctx.state === "suspended") void ctx.resume().catch(() => {});
}

/** Plays the chime: higher and three notes for an escalation, two for a new offer. */
export function playAlertTone(kind: "offer" | "escalate"): boolean {
  const ctx = audio();
  if (!ctx) return false;
  if (ctx.state === "suspended") void ctx.resume().catch(() => {});
  const notes = kind === "escalate" ? [988, 784, 988] : [660, 880];
  const start = ctx.currentTime + 0.02;
  notes.forEach((frequency, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = frequency;
    const t = start + i * 0.18;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.17);
  });
  return true;
}
