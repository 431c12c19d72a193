import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { decode } from "next-auth/jwt";
import { Server } from "socket.io";
import { type TSessionUser, ZSessionUserSchema } from "@/server/auth/roles";
import { room } from "./publish";
import { liveRegistry } from "./registry";

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

/** Reads the next-auth session from a handshake's cookies (the same session as the pages). */
export async function userFromCookies(
  cookieHeader: string | undefined,
  secret: string,
): Promise<TSessionUser | null> {
  const cookies = parseCookies(cookieHeader);
  for (const name of SESSION_COOKIES) {
    // Large sessions are split into chunks name.0, name.1, …
    let token = cookies.get(name);
    if (!token) {
      const chunks: string[] = [];
      for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`) as string);
      token = chunks.length ? chunks.join("") : undefined;
    }
    if (!token) continue;
    try {
      const decoded = await decode({ token, secret, salt: name });
      const parsed = ZSessionUserSchema.safeParse(decoded?.user);
      if (parsed.success && (!decoded?.exp || decoded.exp * 1000 > Date.now())) return parsed.data;
    } catch {
      // A forged or expired token is just no session.
    }
  }
  return null;
}

/** Rooms a user may be in, decided by the server from the session alone. */
export function roomsFor(user: TSessionUser): string[] {
  const rooms = [room.user(user.id), room.role(user.role)];
  if (user.organisationId) rooms.push(room.organisation(user.organisationId));
  return rooms;
}

export type TSocketServerOptions = { authSecret: string; redisUrl?: string; channelKey?: string };

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

  io.use(async (socket, next) => {
    const user = await userFromCookies(socket.handshake.headers.cookie, opts.authSecret);
    if (!user) return next(new Error("unauthorized"));
    socket.data.user = user;
    next();
  });

  io.on("connection", (socket) => {
    const user = socket.data.user as TSessionUser;
    socket.join(roomsFor(user));
    socket.emit("session", { userId: user.id, role: user.role, organisationId: user.organisationId });
  });

  registry.io = io;
  return io;
}
