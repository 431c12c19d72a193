import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import type { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import type { TSessionUser } from "@/server/auth/roles";
import { room } from "./publish";
import { attachSocketServer } from "./socket-server";

// These tests are about rooms and catch-up; session revocation has its own (server/auth/sessions.int.test.ts).
const noSessionEnded = async () => new Set<string>();

const SECRET = "socket-test-secret-0123456789abcdef0123456789";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const COOKIE = "authjs.session-token";

const user = (id: string, role: TSessionUser["role"], organisationId: string | null): TSessionUser => ({
  id,
  email: `${id}@test`,
  name: id,
  role,
  organisationId,
  organisationName: organisationId,
});

const instances: Array<{ http: HttpServer; io: Server }> = [];
const sockets: Socket[] = [];

async function startInstance(redisUrl?: string) {
  const http = createServer();
  const io = await attachSocketServer(http, { authSecret: SECRET, redisUrl, endedSessions: noSessionEnded });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  instances.push({ http, io });
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function client(url: string, who: TSessionUser | null): Promise<Socket> {
  const token = who ? await encode({ token: { user: who }, secret: SECRET, salt: COOKIE }) : "forged";
  const socket = connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: { cookie: `${COOKIE}=${token}` },
    reconnection: false,
  });
  sockets.push(socket);
  return socket;
}

const nextEvent = <T>(socket: Socket, name: string, ms = 3000) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
    socket.once(name, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const { io } of instances) await new Promise<void>((r) => io.close(() => r()));
});

describe("live channel", () => {
  it("refuses a socket without a valid session", async () => {
    const { url } = await startInstance();
    const socket = await client(url, null);
    const err = await nextEvent<Error>(socket, "connect_error");
    expect(err.message).toBe("unauthorized");
  });

  it("puts a socket only in its own user, role and organisation rooms", async () => {
    const { io, url } = await startInstance();
    const a = await client(url, user("coord-a", "OPO_COORDINATOR", "org-a"));
    const b = await client(url, user("coord-b", "OPO_COORDINATOR", "org-b"));
    await Promise.all([nextEvent(a, "session"), nextEvent(b, "session")]);
    const gotA = nextEvent<{ n: number }>(a, "organ.updated");
    const notB = nextEvent(b, "organ.updated", 500).then(
      () => "received",
      () => "nothing",
    );
    io.to(room.organisation("org-a")).emit("organ.updated", { n: 1 });
    expect(await gotA).toEqual({ n: 1 });
    expect(await notB).toBe("nothing");
  });

  it("shares events between two portal instances through Redis", async () => {
    const one = await startInstance(REDIS_URL);
    const two = await startInstance(REDIS_URL);
    const socket = await client(two.url, user("centre-1", "CENTER_COORDINATOR", "centre-x"));
    await nextEvent(socket, "session");
    const received = nextEvent<{ organ: string }>(socket, "offer.sent");
    one.io.to(room.organisation("centre-x")).emit("offer.sent", { organ: "kidney-1" });
    expect(await received).toEqual({ organ: "kidney-1" });
  });
});
