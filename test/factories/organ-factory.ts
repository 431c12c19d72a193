import { randomBytes, randomUUID } from "node:crypto";
import type { TSessionUser } from "@/server/auth/roles";
import { buildDonationIdentificationNumber } from "@/server/custody/donation-identification-number";
import { recordCustodyEvent } from "@/server/custody/record-custody-event";
import { prisma } from "@/server/db";
import type { OrganisationKind, OrganType } from "@/server/generated/prisma/client";

export const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/**
 * Test and bench factories: organisations, staff and organs with unique ids and codes, so tests
 * run in parallel on one database (the ledger refuses DELETE, nothing is cleaned up).
 */
const ROLE_OF: Record<string, TSessionUser["role"]> = {
  OPO: "OPO_COORDINATOR",
  TRANSPLANT_CENTER: "CENTER_COORDINATOR",
  COURIER_SERVICE: "COURIER",
  REGULATOR: "REGULATOR",
};

export type TStaff = { org: { id: string; code: string; name: string }; user: TSessionUser };

/** ISBT 128 facility codes: a letter (not O) and four digits. */
const LETTERS = "ABCDEFGHIJKLMNPQRSTUVWXYZ";
const code5 = () =>
  `${LETTERS[(randomBytes(1)[0] as number) % LETTERS.length]}${String(randomBytes(2).readUInt16BE() % 10_000).padStart(4, "0")}`;

/** An organisation of `kind` with one user of the matching role. */
export async function createStaff(opts: { kind: OrganisationKind; name?: string }): Promise<TStaff> {
  for (let attempt = 0; ; attempt++) {
    try {
      const org = await prisma.organisation.create({
        data: {
          code: code5(),
          name: opts.name ?? `Test ${opts.kind} ${randomUUID().slice(0, 6)}`,
          kind: opts.kind,
        },
      });
      const role = ROLE_OF[opts.kind] ?? "ADMIN";
      const user = await prisma.user.create({
        data: {
          email: `${randomUUID()}@custody.test`,
          name: `${role.toLowerCase()} ${org.code}`,
          passwordHash: "not-a-real-hash",
          role,
          organisationId: org.id,
        },
      });
      return {
        org: { id: org.id, code: org.code, name: org.name },
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role,
          organisationId: org.id,
          organisationName: org.name,
        },
      };
    } catch (err) {
      if (attempt > 5) throw err; // a code collision: try another
    }
  }
}

/** Another user of the same organisation and role (e.g. a second courier of one company). */
export async function createColleague(of: TStaff): Promise<TSessionUser> {
  const user = await prisma.user.create({
    data: {
      email: `${randomUUID()}@custody.test`,
      name: `colleague ${of.org.code}`,
      passwordHash: "not-a-real-hash",
      role: of.user.role,
      organisationId: of.org.id,
    },
  });
  return { ...of.user, id: user.id, email: user.email, name: user.name };
}

/** A DIN with its check character for a test organ of `facility`; unique enough per run. */
export function testDin(facility: string): string {
  const built = buildDonationIdentificationNumber({
    facility,
    year: 26,
    sequence: Number.parseInt(randomBytes(4).toString("hex"), 16) % 1_000_000,
  });
  return built.din + built.checkCharacter;
}

/** An organ of a new donor case of `opo`, accepted by `centre` (as allocation would leave it). */
export async function createOrgan(opts: {
  opo: TStaff;
  centre?: TStaff | null;
  type?: OrganType;
}): Promise<{ id: string; din: string }> {
  const donorCase = await prisma.donorCase.create({
    data: {
      code: `TC-${randomUUID()}`,
      opoId: opts.opo.org.id,
      referralHospital: "Test General",
      donor: {},
    },
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const organ = await prisma.organ.create({
        data: {
          donorCaseId: donorCase.id,
          type: opts.type ?? "KIDNEY",
          laterality: opts.type === "HEART" || opts.type === "LIVER" ? null : "LEFT",
          din: testDin(opts.opo.org.code),
          status: opts.centre ? "ALLOCATED" : "AVAILABLE",
          destinationOrgId: opts.centre?.org.id ?? null,
        },
      });
      return { id: organ.id, din: organ.din };
    } catch (err) {
      if (attempt > 5) throw err;
    }
  }
}

const step = (
  organId: string,
  who: TSessionUser,
  kind: string,
  reportedAt: Date,
  details: Record<string, unknown> = {},
) => recordCustodyEvent({ organId, clientEventId: randomUUID(), kind, reportedAt, details, actor: who });

/** Cross-clamp at `clampedAt`, recovery and packaging, recorded by the OPO's coordinator. */
export async function packOrgan(opts: { organId: string; opo: TStaff; clampedAt: Date }): Promise<void> {
  const t = opts.clampedAt.getTime();
  await step(opts.organId, opts.opo.user, "CROSS_CLAMP", opts.clampedAt, { location: "Donor hospital OR" });
  await step(opts.organId, opts.opo.user, "RECOVERED", new Date(t + 60_000));
  await step(opts.organId, opts.opo.user, "PACKAGED", new Date(t + 120_000), { temperatureC: 4 });
}

/** An organ packaged by `opo`, handed to `courier` and on its way to `centre`. */
export async function createTravellingOrgan(opts: {
  opo: TStaff;
  centre: TStaff;
  courier: TStaff;
  clampedMinutesAgo?: number;
  type?: OrganType;
}): Promise<{ id: string; din: string }> {
  const organ = await createOrgan({ opo: opts.opo, centre: opts.centre, type: opts.type });
  const clampedAt = new Date(Date.now() - (opts.clampedMinutesAgo ?? 60) * 60_000);
  await packOrgan({ organId: organ.id, opo: opts.opo, clampedAt });
  await step(organ.id, opts.opo.user, "HANDOFF_OFFERED", new Date(), { toEmail: opts.courier.user.email });
  await step(organ.id, opts.courier.user, "HANDOFF_ACCEPTED", new Date(), {
    location: "Loading bay",
    temperatureC: 4,
  });
  return organ;
}
