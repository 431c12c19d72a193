import "server-only";

import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import type { TSessionUser } from "@/server/auth/roles";
import { sessionFromCookies, userFromCookies } from "@/server/auth/session-cookie";
import { endedSessions, sessionRoom } from "@/server/auth/sessions";
import { room } from "./publish";
import { liveRegistry } from "./registry";

/** Reads the next-auth session from a handshake's cookies (the same session as the pages). */
export { userFromCookies };

/** Rooms a user may be in, decided by the server from the session alone. */
export function roomsFor(user: TSessionUser): string[] {
  const rooms = [room.user(user.id), room.role(user.role)];
  if (user.organisationId) rooms.push(room.organisation(user.organisationId));
  return rooms;
}

/** Whether a socket's session is still in force (the database check by default). */
export type TSocketSessionCheck = (
  sessions: ReadonlyArray<{ sessionId: string; user: TSessionUser }>,
) => Promise<Set<string>>;

const inDatabase: TSocketSessionCheck = (sessions) => endedSessions(sessions);

/** How often open sockets are checked against their sessions (a role change made elsewhere). */
const SESSION_SWEEP_MS = 10_000;

export type TSocketServerOptions = {
  authSecret: string;
  redisUrl?: string;
  channelKey?: string;
  /** Returns the ids of sessions that have ended; tests of rooms alone pass one that ends none. */
  endedSessions?: TSocketSessionCheck;
};

/**
 * Attaches socket.io to the portal's HTTP server. Only signed-in users connect; each joins the
 * rooms of its own user, role and organisation. With a Redis URL, events cross portal instances.
 */
export async function attachSocketServer(
  httpServer: HttpServer,
  opts: TSocketServerOptions,
): Promise<Server> {
  const io = new Server(httpServer, { path: "/socket.io", serveClient: false });
  const registry = liveRegistry();

  if (opts.redisUrl) {
    const pub = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    for (const c of [pub, sub]) {
      c.on("error", () => {
        registry.redis = "error";
      });
      c.on("ready", () => {
        registry.redis = "connected";
      });
    }
    // Instances of one portal share a database; unrelated portals on the same Redis must not hear each other.
    io.adapter(createAdapter(pub, sub, { key: opts.channelKey ?? "portal" }));
    registry.redis = "connected";
    io.engine.on("close", () => {
      pub.disconnect();
      sub.disconnect();
    });
  }

  const ended = opts.endedSessions ?? inDatabase;
  io.use(async (socket, next) => {
    const session = await sessionFromCookies(socket.handshake.headers.cookie, opts.authSecret);
    // A cookie from before sign-out, erasure, a role change or a lock-out names an ended session.
    const sessionId = session?.sessionId ?? "";
    const refused =
      !session ||
      (await ended([{ sessionId, user: session.user }]).then(
        (set) => set.has(sessionId),
        () => true,
      ));
    if (!session || refused) return next(new Error("unauthorized"));
    socket.data.user = session.user;
    socket.data.sessionId = sessionId;
    next();
  });

  // Sign-out, erasure and lock-out disconnect a session's sockets at once (server/auth/sessions.ts);
  // this sweep catches a session ended any other way, e.g. a role changed in the database.
  const sweep = setInterval(() => {
    const open = [...io.of("/").sockets.values()].map((s) => ({
      socket: s,
      sessionId: s.data.sessionId as string,
      user: s.data.user as TSessionUser,
    }));
    if (open.length === 0) return;
    ended(open)
      .then((set) => {
        for (const o of open) if (set.has(o.sessionId)) o.socket.disconnect(true);
      })
      .catch(() => {}); // database away: try again on the next sweep
  }, SESSION_SWEEP_MS);
  sweep.unref();
  io.engine.on("close", () => clearInterval(sweep));

  io.on("connection", (socket) => {
    const user = socket.data.user as TSessionUser;
    socket.join([...roomsFor(user), sessionRoom(socket.data.sessionId as string)]);
    socket.emit("session", { userId: user.id, role: user.role, organisationId: user.organisationId });
  });

  registry.io = io;
  return io;
}
