import { expireOverdueOffers } from "./expire-overdue-offers";

/** How often the sweeper looks for overdue offers by default. */
const SWEEP_INTERVAL_MS = 5000;

/** Expires overdue offers every `intervalMs` (default 5 s); started by `scripts/start.ts` on every instance. */
export function startOfferSweeper(
  opts: { intervalMs?: number; now?: () => Date; log?: (l: string) => void } = {},
) {
  const intervalMs = opts.intervalMs ?? SWEEP_INTERVAL_MS;
  const log = opts.log ?? ((l: string) => console.log(`[offers] ${l}`));
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = expireOverdueOffers({ now: opts.now?.() ?? new Date() })
      .then((r) => {
        if (r.expired) log(`${r.expired} offers expired, ${r.sent} next offers sent`);
      })
      .catch((err: Error) => log(`sweep failed: ${err.message.split("\n")[0]}`));
  };
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
