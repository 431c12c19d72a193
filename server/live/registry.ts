import type { Server } from "socket.io";

/**
 * The one socket.io server of this process. Next.js bundles route handlers separately from the
 * custom server, so module-level singletons are not shared between them: globalThis is.
 */
type TLiveRegistry = { io: Server | null; redis: "connected" | "disabled" | "error" };

const KEY = Symbol.for("transplant-portal.live");
type TGlobal = typeof globalThis & { [KEY]?: TLiveRegistry };

export function liveRegistry(): TLiveRegistry {
  const g = globalThis as TGlobal;
  g[KEY] ??= { io: null, redis: "disabled" };
  return g[KEY];
}
