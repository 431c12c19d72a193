import { liveRegistry } from "./registry";

/** Rooms a client can be in; the socket server decides membership from the session, never the client. */
export const room = {
  user: (id: string) => `user:${id}`,
  organisation: (id: string) => `org:${id}`,
  role: (role: string) => `role:${role}`,
};

/**
 * Pushes an event to rooms, on every instance (through the Redis adapter when configured).
 * Call only after the transaction that recorded the event has committed. Returns false when no
 * socket server runs in this process (scripts, tests), which is not an error: clients catch up
 * from the database.
 */
export function publishLive(rooms: string[], event: string, payload: unknown): boolean {
  const io = liveRegistry().io;
  if (!io || rooms.length === 0) return false;
  io.to(rooms).emit(event, payload);
  return true;
}
