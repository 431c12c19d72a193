/**
 * Client-side ordering of custody events (pure; runs in the browser, the bench and tests).
 *
 * Live pushes and catch-up replies can interleave after a reconnect, and either may repeat an
 * event the other already delivered. Each event carries a per-organ sequence (1, 2, 3, …), so the
 * stream applies an event only when it is the next one for its organ, holds events that arrive
 * early until the gap before them is filled, and drops anything already applied. The result is
 * every event exactly once, in order, per organ.
 */
export type TSequenced = { organId: string; sequence: number };

export type TCustodyStream<E extends TSequenced> = {
  /** Offers one event; returns the events that became applicable, in order (possibly none). */
  push(event: E): E[];
  /** The last applied sequence per organ: what a reconnecting client sends for catch-up. */
  lastSeen(): Record<string, number>;
  /** Organs with events held back behind a gap (the caller should ask for a catch-up). */
  gaps(): string[];
  /** Starts following an organ from a known sequence (e.g. from a fresh page load). */
  seed(organId: string, sequence: number): void;
};

export function createCustodyStream<E extends TSequenced>(
  initial: Record<string, number> = {},
): TCustodyStream<E> {
  const last = new Map<string, number>(Object.entries(initial));
  const pending = new Map<string, Map<number, E>>();

  return {
    push(event) {
      const seen = last.get(event.organId) ?? 0;
      if (event.sequence <= seen) return [];
      let held = pending.get(event.organId);
      if (!held) {
        held = new Map();
        pending.set(event.organId, held);
      }
      held.set(event.sequence, event);
      const ready: E[] = [];
      let next = seen + 1;
      for (let e = held.get(next); e; e = held.get(next)) {
        ready.push(e);
        held.delete(next);
        next++;
      }
      if (ready.length) last.set(event.organId, next - 1);
      if (held.size === 0) pending.delete(event.organId);
      return ready;
    },
    lastSeen: () => Object.fromEntries(last),
    gaps: () => [...pending.keys()],
    seed(organId, sequence) {
      if ((last.get(organId) ?? 0) < sequence) last.set(organId, sequence);
      const held = pending.get(organId);
      if (held) for (const s of held.keys()) if (s <= sequence) held.delete(s);
    },
  };
}
