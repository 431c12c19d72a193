import type { Server, Socket } from "socket.io";
import type { TSessionUser } from "@/server/auth/roles";
import { catchUpCustodyEvents, ZCatchUpRequestSchema } from "@/server/custody/catch-up";
import type { TCustodyEventView } from "@/server/custody/custody-views";

/** The socket message a reconnecting client sends, with an acknowledgement callback. */
export const CUSTODY_CATCH_UP = "custody:catch-up";

export type TCatchUpAck = { ok: true; events: TCustodyEventView[] } | { ok: false; error: string };

const attached = new WeakSet<Server>();

function listen(socket: Socket) {
  socket.on(CUSTODY_CATCH_UP, async (raw: unknown, ack?: (reply: TCatchUpAck) => void) => {
    if (typeof ack !== "function") return;
    const parsed = ZCatchUpRequestSchema.safeParse(raw);
    if (!parsed.success) return ack({ ok: false, error: "Send { since: { organId: lastSequence } }." });
    try {
      const user = socket.data.user as TSessionUser;
      ack({ ok: true, events: await catchUpCustodyEvents({ user, since: parsed.data.since }) });
    } catch (err) {
      console.error(`[live] custody catch-up failed: ${(err as Error).message}`);
      ack({ ok: false, error: "Catch-up failed; reload the page to see the latest state." });
    }
  });
}

/**
 * Adds the custody handlers (catch-up after a reconnect) to the socket server. The server puts
 * each socket in its rooms from the session; this only answers questions, scoped to the same
 * session, so a client never reads events of organs it may not follow. Idempotent.
 */
export function attachCustodyHandlers(io: Server): void {
  if (attached.has(io)) return;
  attached.add(io);
  for (const socket of io.of("/").sockets.values()) listen(socket);
  io.on("connection", listen);
}
