import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import type { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TSessionUser } from "@/server/auth/roles";
import type { TCustodyEventView, TCustodyLivePayload } from "@/server/custody/custody-views";
import { recordCustodyEvent } from "@/server/custody/record-custody-event";
import { disconnectPrisma } from "@/server/db";
import { createOrgan, createStaff, hoursAgo, packOrgan, type TStaff } from "@/test/factories/organ-factory";
import { attachCustodyHandlers, CUSTODY_CATCH_UP, type TCatchUpAck } from "./custody-socket";
import { createCustodyStream } from "./custody-stream";
import { liveRegistry } from "./registry";
import { attachSocketServer } from "./socket-server";

// These tests are about rooms and catch-up; session revocation has its own (server/auth/sessions.int.test.ts).
const noSessionEnded = async () => new Set<string>();

const SECRET = "custody-live-test-secret-0123456789abcdef01";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const COOKIE = "authjs.session-token";

const instances: Array<{ http: HttpServer; io: Server }> = [];
const sockets: Socket[] = [];

async function startInstance(redisUrl?: string) {
  const http = createServer();
  const io = await attachSocketServer(http, { authSecret: SECRET, redisUrl, endedSessions: noSessionEnded });
  attachCustodyHandlers(io);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  instances.push({ http, io });
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function client(url: string, who: TSessionUser): Promise<Socket> {
  const token = await encode({ token: { user: who }, secret: SECRET, salt: COOKIE });
  const socket = connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: { cookie: `${COOKIE}=${token}` },
    reconnection: false,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no session")), 5000);
    socket.once("session", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return socket;
}

const collect = (socket: Socket) => {
  const got: TCustodyLivePayload[] = [];
  socket.on("custody.recorded", (p: TCustodyLivePayload) => got.push(p));
  return got;
};
const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};
const checkpoint = (organId: string, who: TStaff, i: number) =>
  recordCustodyEvent({
    organId,
    clientEventId: randomUUID(),
    kind: "CHECKPOINT",
    reportedAt: new Date(),
    details: { location: `Mile ${i}`, temperatureC: 4 },
    actor: who.user,
  });

let opo: TStaff;
let otherOpo: TStaff;
let centre: TStaff;
let otherCentre: TStaff;

beforeAll(async () => {
  [opo, otherOpo, centre, otherCentre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const { io } of instances) await new Promise<void>((r) => io.close(() => r()));
  liveRegistry().io = null;
  await disconnectPrisma();
});

describe("custody events, live", () => {
  it("reach the recovering OPO and the destination centre, and no other coordinator", async () => {
    const { url } = await startInstance();
    const organ = await createOrgan({ opo, centre });
    const [mine, dest, stranger, strangerCentre] = await Promise.all([
      client(url, opo.user),
      client(url, centre.user),
      client(url, otherOpo.user),
      client(url, otherCentre.user),
    ]);
    const [gotMine, gotDest, gotStranger, gotStrangerCentre] = [mine, dest, stranger, strangerCentre].map(
      collect,
    ) as [TCustodyLivePayload[], TCustodyLivePayload[], TCustodyLivePayload[], TCustodyLivePayload[]];
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(1) });
    const last = await checkpoint(organ.id, opo, 1);
    await until(() => gotMine.length >= last.event.sequence && gotDest.length >= last.event.sequence);
    await new Promise((r) => setTimeout(r, 300));
    expect(gotMine.map((p) => p.event.sequence)).toEqual(gotDest.map((p) => p.event.sequence));
    expect(gotMine.at(-1)?.organ.lastCheckpoint?.location).toBe("Mile 1");
    expect(gotStranger).toEqual([]);
    expect(gotStrangerCentre).toEqual([]);

    // Nor can a stranger read them through catch-up.
    const ack = (await stranger
      .timeout(3000)
      .emitWithAck(CUSTODY_CATCH_UP, { since: { [organ.id]: 0 } })) as TCatchUpAck;
    expect(ack).toEqual({ ok: true, events: [] });
  });

  it("socket events × every role: live pushes and catch-up reach only those who may follow the organ", async () => {
    const { url } = await startInstance();
    const organ = await createOrgan({ opo, centre });
    const [courier, regulator, admin] = await Promise.all([
      createStaff({ kind: "COURIER_SERVICE" }),
      createStaff({ kind: "REGULATOR" }),
      createStaff({ kind: "PLATFORM" }),
    ]);
    const donor: TSessionUser = {
      id: randomUUID(),
      email: "donor@live.test",
      name: "A donor",
      role: "DONOR",
      organisationId: null,
      organisationName: null,
    };
    const who: Array<[string, TSessionUser, boolean]> = [
      ["recovering OPO", opo.user, true],
      ["destination centre", centre.user, true],
      ["regulator", regulator.user, true],
      ["admin", admin.user, true],
      ["another OPO", otherOpo.user, false],
      ["another centre", otherCentre.user, false],
      ["a courier without custody", courier.user, false],
      ["a donor", donor, false],
    ];
    expect(admin.user.role).toBe("ADMIN");
    const clients = await Promise.all(who.map(([, u]) => client(url, u)));
    const pushes = clients.map(collect);
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(1) });
    const last = await checkpoint(organ.id, opo, 1);
    await until(() => (pushes[0]?.length ?? 0) >= last.event.sequence && (pushes[1]?.length ?? 0) >= 1);
    await new Promise((r) => setTimeout(r, 300));
    for (const [i, [name, , may]] of who.entries()) {
      const ack = (await (clients[i] as Socket)
        .timeout(3000)
        .emitWithAck(CUSTODY_CATCH_UP, { since: { [organ.id]: 0 } })) as TCatchUpAck;
      if (!ack.ok) throw new Error(`${name}: ${ack.error}`);
      expect([name, ack.events.length > 0]).toEqual([name, may]);
      if (!may) expect([name, pushes[i]?.length]).toEqual([name, 0]);
    }
    // A malformed request is answered with the rule, not an exception.
    const bad = (await (clients[0] as Socket).timeout(3000).emitWithAck(CUSTODY_CATCH_UP, {
      since: "everything",
    })) as TCatchUpAck;
    expect(bad).toEqual({ ok: false, error: "Send { since: { organId: lastSequence } }." });
  });

  it("catches a client up after its connection drops mid-stream: every event once, in order", async () => {
    const { url } = await startInstance();
    const organ = await createOrgan({ opo, centre });
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(1) });
    const stream = createCustodyStream<TCustodyEventView>();
    const applied: TCustodyEventView[] = [];
    const attach = (s: Socket) =>
      s.on("custody.recorded", (p: TCustodyLivePayload) => applied.push(...stream.push(p.event)));

    const first = await client(url, centre.user);
    attach(first);
    const base = (await checkpoint(organ.id, opo, 0)).event.sequence;
    stream.seed(organ.id, base - 1);
    const posting = (async () => {
      for (let i = 1; i <= 30; i++) await checkpoint(organ.id, opo, i);
    })();
    await until(() => applied.length >= 5);
    first.disconnect(); // drop mid-stream
    await new Promise((r) => setTimeout(r, 100));
    const second = await client(url, centre.user);
    attach(second); // live events resume while the catch-up is in flight
    const ack = (await second
      .timeout(5000)
      .emitWithAck(CUSTODY_CATCH_UP, { since: stream.lastSeen() })) as TCatchUpAck;
    if (!ack.ok) throw new Error(ack.error);
    for (const e of ack.events) applied.push(...stream.push(e));
    expect(ack.events.length).toBeGreaterThan(0); // the drop really lost live events
    await posting;
    const final = await checkpoint(organ.id, opo, 31);
    await until(() => (stream.lastSeen()[organ.id] ?? 0) >= final.event.sequence, 5000);

    const seqs = applied.map((e) => e.sequence);
    expect(seqs).toEqual(Array.from({ length: final.event.sequence - base + 1 }, (_, i) => base + i));
    expect(new Set(applied.map((e) => e.id)).size).toBe(applied.length);
  });

  it("crosses portal instances through the Redis adapter", async () => {
    const one = await startInstance(REDIS_URL);
    const two = await startInstance(REDIS_URL);
    liveRegistry().io = one.io; // the event is recorded on instance one…
    const organ = await createOrgan({ opo, centre });
    const socket = await client(two.url, centre.user); // …and watched on instance two
    const got = collect(socket);
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(1) });
    const last = await checkpoint(organ.id, opo, 1);
    await until(() => got.some((p) => p.event.id === last.event.id));
    expect(got.every((p) => p.event.organId === organ.id)).toBe(true);
  });
});
