import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import type { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "@/server/db";
import { liveRegistry } from "@/server/live/registry";
import { attachSocketServer } from "@/server/live/socket-server";
import { createMemoryStore, createRateLimiter } from "@/server/security/rate-limit";
import { setRateLimiter } from "@/server/security/rate-limit-policy";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { hashPassword } from "./password";
import type { TSessionUser } from "./roles";
import { checkSession, endSession, endUserSessions, openSession } from "./sessions";
import { verifyCredentials } from "./verify-credentials";

/**
 * Sessions end at once, everywhere (issue #15): a cookie kept from before sign-out, erasure, a
 * role change or a lock-out no longer signs anyone in, and the socket handshake refuses it too;
 * sockets already open are disconnected.
 */
const SECRET = "session-test-secret-0123456789abcdef0123456789";
const COOKIE = "authjs.session-token";

let staff: TStaff;
let io: Server;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  setRateLimiter(createRateLimiter(createMemoryStore()));
  staff = await createStaff({ kind: "OPO" });
  const http = createServer();
  io = await attachSocketServer(http, { authSecret: SECRET });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await new Promise<void>((r) => io.close(() => r()));
  liveRegistry().io = null;
  setRateLimiter(null);
  await disconnectPrisma();
});

async function freshUser(role: TSessionUser["role"] = "OPO_COORDINATOR"): Promise<TSessionUser> {
  const user = await prisma.user.create({
    data: {
      email: `${randomUUID()}@sessions.test`,
      name: "Session Tester",
      passwordHash: await hashPassword("the right password"),
      role,
      organisationId: role === "DONOR" ? null : staff.org.id,
    },
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role,
    organisationId: user.organisationId,
    organisationName: null,
  };
}

async function socketFor(user: TSessionUser, sid: string): Promise<Socket> {
  const token = await encode({ token: { user, sid }, secret: SECRET, salt: COOKIE });
  const socket = connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: { cookie: `${COOKIE}=${token}` },
    reconnection: false,
  });
  sockets.push(socket);
  return socket;
}

const outcome = (socket: Socket) =>
  new Promise<"connected" | "refused">((resolve) => {
    socket.once("session", () => resolve("connected"));
    socket.once("connect_error", () => resolve("refused"));
  });

const disconnected = (socket: Socket, ms = 3000) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("disconnect", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe("a session ends at once", () => {
  it("is live after sign-in, and its socket connects", async () => {
    const user = await freshUser();
    const sid = await openSession({ userId: user.id });
    expect(await checkSession({ sessionId: sid, user })).toBe("live");
    expect(await outcome(await socketFor(user, sid))).toBe("connected");
  });

  it("sign-out: the cookie no longer counts, its socket is disconnected, a new handshake refused; other sessions stay", async () => {
    const user = await freshUser();
    const [sid, other] = [await openSession({ userId: user.id }), await openSession({ userId: user.id })];
    const socket = await socketFor(user, sid);
    expect(await outcome(socket)).toBe("connected");
    const gone = disconnected(socket);
    await endSession(sid);
    expect(await gone).toBe(true);
    expect(await checkSession({ sessionId: sid, user })).toBe("ended");
    expect(await outcome(await socketFor(user, sid))).toBe("refused");
    expect(await checkSession({ sessionId: other, user })).toBe("live");
  });

  it("erasure of the account: every session ends with it", async () => {
    const user = await freshUser("DONOR");
    const sid = await openSession({ userId: user.id });
    await prisma.user.delete({ where: { id: user.id } });
    expect(await checkSession({ sessionId: sid, user })).toBe("ended");
    expect(await outcome(await socketFor(user, sid))).toBe("refused");
  });

  it("a role or organisation change: the cookie carrying the old one no longer counts", async () => {
    const user = await freshUser();
    const sid = await openSession({ userId: user.id });
    await prisma.user.update({ where: { id: user.id }, data: { role: "COURIER" } });
    expect(await checkSession({ sessionId: sid, user })).toBe("ended");
    expect(await outcome(await socketFor(user, sid))).toBe("refused");

    const moved = await freshUser();
    const sid2 = await openSession({ userId: moved.id });
    const other = await createStaff({ kind: "OPO" });
    await prisma.user.update({ where: { id: moved.id }, data: { organisationId: other.org.id } });
    expect(await checkSession({ sessionId: sid2, user: moved })).toBe("ended");
  });

  it("lock-out after five wrong passwords ends every session and disconnects its sockets", async () => {
    const user = await freshUser();
    const sid = await openSession({ userId: user.id });
    const socket = await socketFor(user, sid);
    expect(await outcome(socket)).toBe("connected");
    let gone = false;
    socket.once("disconnect", () => {
      gone = true;
    });
    for (let i = 0; i < 5; i++) await verifyCredentials({ email: user.email, password: "wrong password" });
    // Password hashing takes its time under load: wait for the disconnect from the fifth failure on.
    for (let waited = 0; !gone && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(gone).toBe(true);
    expect(await checkSession({ sessionId: sid, user })).toBe("ended");
  });

  it("endUserSessions ends all of a user's sessions (for a role change made by an administrator)", async () => {
    const user = await freshUser();
    const sids = [await openSession({ userId: user.id }), await openSession({ userId: user.id })];
    await endUserSessions({ userId: user.id });
    for (const sid of sids) expect(await checkSession({ sessionId: sid, user })).toBe("ended");
  });

  it("a cookie with no session id, another user's session id, or an expired session counts for nothing", async () => {
    const user = await freshUser();
    const someoneElse = await freshUser();
    const theirs = await openSession({ userId: someoneElse.id });
    expect(await checkSession({ sessionId: undefined, user })).toBe("ended");
    expect(await checkSession({ sessionId: theirs, user })).toBe("ended");
    const old = await openSession({ userId: user.id, now: new Date(Date.now() - 13 * 3_600_000) });
    expect(await checkSession({ sessionId: old, user })).toBe("ended");
  });
});

describe("opening a session", () => {
  it("stores when it opened and ends twelve hours later, and clears only this user's expired sessions", async () => {
    const user = await freshUser();
    const other = await freshUser();
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const expiredMine = await openSession({ userId: user.id, now: hoursAgo(13) });
    const liveMine = await openSession({ userId: user.id, now: hoursAgo(1) });
    const expiredTheirs = await openSession({ userId: other.id, now: hoursAgo(13) });
    const now = new Date();
    const sid = await openSession({ userId: user.id, now });
    const row = await prisma.userSession.findUniqueOrThrow({ where: { id: sid } });
    expect(row.createdAt.toISOString()).toBe(now.toISOString());
    expect(row.expiresAt.toISOString()).toBe(new Date(now.getTime() + 12 * 3_600_000).toISOString());
    const left = await prisma.userSession.findMany({
      where: { id: { in: [expiredMine, liveMine, expiredTheirs, sid] } },
      select: { id: true },
    });
    expect(left.map((r) => r.id).sort()).toEqual([liveMine, expiredTheirs, sid].sort());
  });

  it("signs in with the account's name and organisation, and an unknown e-mail is refused", async () => {
    const user = await freshUser();
    const org = await prisma.organisation.findUniqueOrThrow({ where: { id: staff.org.id } });
    expect(
      await verifyCredentials({ email: user.email.toUpperCase(), password: "the right password" }),
    ).toEqual({
      ok: true,
      user: { ...user, organisationName: org.name },
    });
    const donor = await freshUser("DONOR");
    expect(await verifyCredentials({ email: donor.email, password: "the right password" })).toEqual({
      ok: true,
      user: { ...donor, organisationName: null },
    });
    expect(await verifyCredentials({ email: `${randomUUID()}@nobody.test`, password: "x" })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });
});

describe("lock-out reveals nothing about who is registered", () => {
  it("an unknown e-mail answers exactly as a registered one: invalid four times, then locked", async () => {
    const user = await freshUser();
    const unknown = `${randomUUID()}@nobody.test`;
    const known: string[] = [];
    const nobody: string[] = [];
    for (let i = 0; i < 7; i++) {
      const k = await verifyCredentials({ email: user.email, password: "wrong password" });
      const n = await verifyCredentials({ email: unknown, password: "wrong password" });
      known.push(k.ok ? "ok" : k.reason);
      nobody.push(n.ok ? "ok" : n.reason);
    }
    expect(known).toEqual(["invalid", "invalid", "invalid", "invalid", "locked", "locked", "locked"]);
    expect(nobody).toEqual(known);
  });

  it("while locked, the right password is refused as locked for both", async () => {
    const user = await freshUser();
    for (let i = 0; i < 5; i++) await verifyCredentials({ email: user.email, password: "wrong password" });
    const r = await verifyCredentials({ email: user.email, password: "the right password" });
    expect(r.ok ? "ok" : r.reason).toBe("locked");
  });
});
