import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "@/server/db";
import { isAppError } from "@/server/errors";
import { excursionsReport } from "@/server/regulator/excursions-report";
import { createOrgan, createStaff, hoursAgo, packOrgan, type TStaff } from "@/test/factories/organ-factory";
import { catchUpCustodyEvents } from "./catch-up";
import { listOrgansInFlight } from "./list-organs-in-flight";
import { getOrganTimeline } from "./organ-timeline";
import { recordCustodyEvent } from "./record-custody-event";

let opo: TStaff;
let centre: TStaff;
let courier: TStaff;
let otherCourier: TStaff;
let otherOpo: TStaff;

beforeAll(async () => {
  [opo, centre, courier, otherCourier, otherOpo] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "COURIER_SERVICE" }),
    createStaff({ kind: "COURIER_SERVICE" }),
    createStaff({ kind: "OPO" }),
  ]);
});
afterAll(async () => {
  await disconnectPrisma();
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected a refusal");
};

const step = (
  organId: string,
  who: TStaff,
  kind: string,
  details: Record<string, unknown> = {},
  reportedAt = new Date(),
) => recordCustodyEvent({ organId, clientEventId: randomUUID(), kind, reportedAt, details, actor: who.user });

describe("recordCustodyEvent", () => {
  it("records the journey with consecutive sequences, custodian and ledger events", async () => {
    const organ = await createOrgan({ opo, centre });
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(2) });
    await step(organ.id, opo, "HANDOFF_OFFERED", { toEmail: courier.user.email });
    const accepted = await step(organ.id, courier, "HANDOFF_ACCEPTED", { location: "OR 3", temperatureC: 4 });
    const checkpoint = await step(organ.id, courier, "CHECKPOINT", { location: "Airport", temperatureC: 5 });

    const row = await prisma.organ.findUniqueOrThrow({ where: { id: organ.id } });
    expect(row.custodianUserId).toBe(courier.user.id);
    expect(row.custodianOrgId).toBe(courier.org.id);
    expect(Math.abs((row.crossClampAt?.getTime() ?? 0) - hoursAgo(2).getTime())).toBeLessThan(60_000);
    expect(checkpoint.event.sequence).toBe(accepted.event.sequence + 1);
    expect(checkpoint.organ.lastCheckpoint?.location).toBe("Airport");
    expect(checkpoint.organ.holderUser?.id).toBe(courier.user.id);

    const events = await prisma.custodyEvent.findMany({
      where: { organId: organ.id },
      orderBy: { sequence: "asc" },
    });
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    const ledger = await prisma.ledgerEvent.findMany({
      where: { subjectType: "organ", subjectId: organ.id, type: "custody.recorded" },
    });
    expect(ledger).toHaveLength(events.length);
    expect(new Set(events.map((e) => e.ledgerEventId))).toEqual(new Set(ledger.map((l) => l.id)));
  });

  it("records a retried submission once and returns the same step", async () => {
    const organ = await createOrgan({ opo, centre });
    const clientEventId = randomUUID();
    const submit = () =>
      recordCustodyEvent({
        organId: organ.id,
        clientEventId,
        kind: "CROSS_CLAMP",
        reportedAt: hoursAgo(1),
        details: {},
        actor: opo.user,
      });
    const [a, b, c] = await Promise.all([submit(), submit(), submit()]);
    expect(new Set([a.event.id, b.event.id, c.event.id]).size).toBe(1);
    expect([a, b, c].filter((r) => r.replayed)).toHaveLength(2);
    expect(await prisma.custodyEvent.count({ where: { organId: organ.id } })).toBe(1);
    expect(await prisma.ledgerEvent.count({ where: { subjectId: organ.id, type: "custody.recorded" } })).toBe(
      1,
    );
  });

  it("gives concurrent steps of one organ distinct consecutive sequences", async () => {
    const organ = await createOrgan({ opo, centre });
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(1) });
    const at = new Date(); // the same reported time: only the order of arrival differs
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        step(organ.id, opo, "CHECKPOINT", { location: `Hall ${i}`, temperatureC: 4 }, at),
      ),
    );
    const seqs = results.map((r) => r.event.sequence).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => (seqs[0] as number) + i));
  });

  it("refuses with messages a courier can act on", async () => {
    const organ = await createOrgan({ opo, centre });
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(1) });
    await step(organ.id, opo, "HANDOFF_OFFERED", { toEmail: courier.user.email });
    await step(organ.id, courier, "HANDOFF_ACCEPTED", { location: "OR 3", temperatureC: 4 });

    const notHolder = await refusal(
      step(organ.id, otherCourier, "CHECKPOINT", { location: "Road", temperatureC: 4 }),
    );
    expect(notHolder.code).toBe("FORBIDDEN");
    expect(notHolder.message).toMatch(/custody/i);

    const noReason = await refusal(step(organ.id, courier, "DISCARDED", {}));
    expect(noReason.code).toBe("BAD_REQUEST");
    expect(noReason.message).toMatch(/reason/i);

    const future = await refusal(
      step(
        organ.id,
        courier,
        "CHECKPOINT",
        { location: "Road", temperatureC: 4 },
        new Date(Date.now() + 3_600_000),
      ),
    );
    expect(future.message).toMatch(/future/i);

    const past = await refusal(
      step(organ.id, courier, "CHECKPOINT", { location: "Road", temperatureC: 4 }, hoursAgo(5)),
    );
    expect(past.message).toMatch(/before|earlier|previous/i);

    const hot = await refusal(step(organ.id, courier, "CHECKPOINT", { location: "Road", temperatureC: 60 }));
    expect(hot.message).toMatch(/temperature/i);

    const skipped = await refusal(step(organ.id, courier, "TRANSPLANTED", {}));
    expect(["BAD_REQUEST", "CONFLICT", "FORBIDDEN", "PRECONDITION_FAILED"]).toContain(skipped.code);

    const wrongOpo = await refusal(
      step(organ.id, otherOpo, "CHECKPOINT", { location: "Road", temperatureC: 4 }),
    );
    expect(wrongOpo.code).toBe("FORBIDDEN");

    const discarded = await step(organ.id, courier, "DISCARDED", { reason: "Container breached in transit" });
    expect(discarded.organ.status).toBe("DISCARDED");
  });

  it("offers a hand-off only to someone who can accept it (issue #15: offered to a regulator, stuck)", async () => {
    const organ = await createOrgan({ opo, centre });
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(1) });
    const regulator = await createStaff({ kind: "REGULATOR" });
    const admin = await createStaff({ kind: "PLATFORM" });
    const donor = await prisma.user.create({
      data: { email: `${randomUUID()}@donor.test`, name: "Donor", passwordHash: "x", role: "DONOR" },
    });
    const before = await prisma.custodyEvent.count({ where: { organId: organ.id } });
    for (const email of [
      regulator.user.email,
      admin.user.email,
      donor.email,
      `${randomUUID()}@nobody.test`,
    ]) {
      const r = await refusal(step(organ.id, opo, "HANDOFF_OFFERED", { toEmail: email }));
      expect(r.code, email).toBe("BAD_REQUEST");
      expect(r.message).toMatch(/^details\.toEmail: the receiver must be a courier or coordinator/);
    }
    expect(await prisma.custodyEvent.count({ where: { organId: organ.id } })).toBe(before);
    // A courier can, and then accepts: the organ moves on.
    await step(organ.id, opo, "HANDOFF_OFFERED", { toEmail: courier.user.email });
    await step(organ.id, courier, "HANDOFF_ACCEPTED", { location: "OR 3", temperatureC: 4 });
    expect((await prisma.organ.findUniqueOrThrow({ where: { id: organ.id } })).custodianUserId).toBe(
      courier.user.id,
    );
  });

  it("shows each organisation only its own organs (dashboard, timeline, catch-up)", async () => {
    const mine = await createOrgan({ opo, centre });
    const theirs = await createOrgan({ opo: otherOpo, centre });
    await packOrgan({ organId: mine.id, opo, clampedAt: hoursAgo(1) });
    await packOrgan({ organId: theirs.id, opo: otherOpo, clampedAt: hoursAgo(1) });

    const opoList = (await listOrgansInFlight({ user: opo.user })).map((o) => o.id);
    expect(opoList).toContain(mine.id);
    expect(opoList).not.toContain(theirs.id);
    const centreList = (await listOrgansInFlight({ user: centre.user })).map((o) => o.id);
    expect(centreList).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    expect((await refusal(getOrganTimeline({ user: opo.user, organId: theirs.id }))).code).toBe("NOT_FOUND");
    // Recording on another OPO's organ is refused before its state is looked at: the refusal does not
    // tell a stranger that this one still awaits recovery.
    const awaiting = await createOrgan({ opo: otherOpo, centre });
    const stranger = await refusal(
      step(awaiting.id, opo, "CHECKPOINT", { location: "Ward", temperatureC: 4 }),
    );
    expect(stranger.code).toBe("FORBIDDEN");
    expect(stranger.message).not.toMatch(/recovery|previous step/);
    const missed = await catchUpCustodyEvents({ user: opo.user, since: { [mine.id]: 1, [theirs.id]: 0 } });
    expect(new Set(missed.map((e) => e.organId))).toEqual(new Set([mine.id]));
    expect(missed[0]?.sequence).toBe(2);
  });

  it("flags a reading outside the policy's range on the step, its ledger event and the dashboard row", async () => {
    const organ = await createOrgan({ opo, centre });
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(2) });
    const hot = await step(organ.id, opo, "CHECKPOINT", { location: "Ward", temperatureC: 40 });
    expect(hot.warnings).toEqual([
      expect.stringMatching(/40 °C is above the 0–8 °C range for static cold storage/),
    ]);
    expect(hot.event.details.excursions).toEqual([
      expect.objectContaining({
        code: "TEMPERATURE_HIGH",
        temperatureC: 40,
        policy: "custody-temperature@1",
      }),
    ]);
    const ledger = await prisma.ledgerEvent.findUniqueOrThrow({ where: { id: hot.event.ledgerEventId } });
    expect((ledger.payload as { details: { excursions: unknown[] } }).details.excursions).toHaveLength(1);
    expect(hot.organ.excursionCount).toBe(1);
    expect(hot.organ.lastExcursion?.message).toMatch(/Temperature excursion: 40 °C/);

    // On a normothermic machine the same 37 °C is within range; back in the cold box it is not.
    const warm = await step(organ.id, opo, "CHECKPOINT", {
      temperatureC: 37,
      preservation: "NORMOTHERMIC_MACHINE_PERFUSION",
    });
    expect(warm.event.details.excursions).toBeUndefined();
    const row = await prisma.organ.findUniqueOrThrow({ where: { id: organ.id } });
    expect((row.custodyState as { preservation: string }).preservation).toBe(
      "NORMOTHERMIC_MACHINE_PERFUSION",
    );
    const cold = await step(organ.id, opo, "CHECKPOINT", { temperatureC: 37, preservation: "STATIC_COLD" });
    expect(cold.organ.excursionCount).toBe(2);

    const report = await excursionsReport({
      range: { from: hoursAgo(1), toExclusive: new Date(Date.now() + 60_000), granularity: "day" },
    });
    expect(report.filter((r) => r.organId === organ.id)).toEqual([
      expect.objectContaining({
        step: "CHECKPOINT",
        temperatureC: 37,
        rangeC: "0–8",
        preservation: "STATIC_COLD",
      }),
      expect.objectContaining({ step: "CHECKPOINT", temperatureC: 40, code: "TEMPERATURE_HIGH" }),
    ]);
  });
});
