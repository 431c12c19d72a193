/**
 * A realistic synthetic data set for the demo: waiting-list candidates for both demo centres (ABO,
 * HLA, cPRA and organ mix drawn from typical distributions, seeded so every start looks the same)
 * and open donor cases of the demo OPOs with their organs and ISBT 128 DINs, each case opened
 * through the ledger like a real one. No real person is described.
 */

import { seededRandom } from "@/prisma/synthetic";
import { clearedClinicalColumns } from "@/server/allocation/candidate-current";
import { engineDonor } from "@/server/allocation/records";
import { lockWaitlistForWrite, recordCandidateVersion } from "@/server/allocation/waitlist-state";
import { recordConsentInTx } from "@/server/consent/record-consent";
import { createDonorRecord } from "@/server/consent/register-donor";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { createRecordKey } from "@/server/crypto/envelope";
import { buildDonationIdentificationNumber } from "@/server/custody/donation-identification-number";
import type { Tx } from "@/server/db";
import { prisma, withTransaction } from "@/server/db";
import { env } from "@/server/env";
import { type OrganType, Prisma } from "@/server/generated/prisma/client";
import { appendEvent } from "@/server/ledger/append-event";
import { prepareDonor } from "@/server/matching/engine/prepare-donor";

/** A synthetic person who never registered, and their family's authorisation (recorded by the OPO). */
async function authoriseForDemo(tx: Tx, opts: { code: string; opoId: string; rand: () => number }) {
  const { donorId } = await createDonorRecord({
    tx,
    identity: {
      fullName: `Synthetic donor ${opts.code}`,
      dateOfBirth: `19${60 + Math.floor(opts.rand() * 30)}-0${1 + Math.floor(opts.rand() * 9)}-1${Math.floor(opts.rand() * 9)}`,
      identifier: { scheme: "GENERIC", value: `SYN${opts.code.replace(/[^A-Z0-9]/g, "")}` },
    },
  });
  return recordConsentInTx({
    tx,
    donorId,
    decision: {
      kind: "FAMILY_AUTHORISATION",
      decision: "DONATE_ALL",
      organs: [],
      purposes: ["TRANSPLANT"],
      authorisedBy: {
        name: "Next of kin (synthetic)",
        relationship: "SPOUSE",
        witness: "Ward nurse (synthetic)",
      },
    },
    actor: { userId: null, role: "SYSTEM", orgId: opts.opoId },
  });
}

function pick<T>(rand: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of weighted) {
    r -= w;
    if (r <= 0) return v;
  }
  return (weighted.at(-1) as readonly [T, number])[0];
}

const ABO = [
  ["O", 44],
  ["A", 42],
  ["B", 10],
  ["AB", 4],
] as const;
const ORGANS = [
  ["KIDNEY", 62],
  ["LIVER", 20],
  ["HEART", 7],
  ["LUNG", 7],
  ["PANCREAS", 4],
] as const;
const HLA = {
  A: ["A1", "A2", "A3", "A11", "A24", "A26", "A29", "A30", "A31", "A32", "A33", "A68"],
  B: ["B7", "B8", "B13", "B18", "B27", "B35", "B38", "B39", "B44", "B51", "B57", "B60", "B62"],
  C: ["C1", "C2", "C3", "C4", "C5", "C6", "C7"],
  DR: ["DR1", "DR4", "DR7", "DR8", "DR11", "DR13", "DR15", "DR16", "DR17"],
  DQ: ["DQ2", "DQ4", "DQ5", "DQ6", "DQ7", "DQ8", "DQ9"],
} as const;

const typing = (rand: () => number): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(HLA).map(([locus, names]: [string, readonly string[]]) => {
      const a = names[Math.floor(rand() * names.length)] as string;
      // About one in eight loci is homozygous.
      const b = rand() < 0.125 ? a : (names[Math.floor(rand() * names.length)] as string);
      return [locus, [...new Set([a, b])]];
    }),
  );

const DAY = 86_400_000;

export async function seedSyntheticData(opts: { candidates?: number; now?: Date } = {}): Promise<void> {
  const rand = seededRandom(20261125);
  const now = opts.now ?? new Date();
  const centres = await prisma.organisation.findMany({
    where: { kind: "TRANSPLANT_CENTER" },
    orderBy: { code: "asc" },
  });
  const opos = await prisma.organisation.findMany({ where: { kind: "OPO" }, orderBy: { code: "asc" } });
  if (!centres.length || !opos.length) return;

  const candidates = Array.from({ length: opts.candidates ?? 300 }, (_, i) => {
    const organ = pick(rand, ORGANS) as OrganType;
    const centre = centres[i % centres.length] as (typeof centres)[number];
    const age = 18 + Math.floor(rand() * 57);
    const female = rand() < 0.42;
    const heightCm = Math.round((female ? 162 : 176) + (rand() - 0.5) * 20);
    const onDialysis = organ === "KIDNEY" && rand() < 0.8;
    // cPRA: most candidates are unsensitised, with a long tail of highly sensitised ones.
    const cpra = rand() < 0.6 ? 0 : Math.min(100, Math.round(-Math.log(1 - rand()) * 30));
    // Stored in the shape server/allocation/records.ts reads (the engine's inputs).
    const urgency =
      organ === "LIVER"
        ? {
            highUrgency: rand() < 0.03,
            liver: {
              bilirubinMgDl: +(0.5 + rand() * 12).toFixed(1),
              inr: +(1 + rand() * 2).toFixed(2),
              creatinineMgDl: +(0.6 + rand() * 2.8).toFixed(2),
              sodiumMmolL: Math.round(126 + rand() * 16),
              albuminGDl: +(2 + rand() * 2.5).toFixed(1),
              dialysisTwiceInPastWeek: rand() < 0.05,
            },
          }
        : organ === "HEART"
          ? { highUrgency: false, heartStatus: 1 + Math.floor(rand() * 6) }
          : organ === "LUNG"
            ? { highUrgency: false, lungUrgency: Math.round(30 + rand() * 60) }
            : { highUrgency: false };
    return {
      centerId: centre.id,
      code: `${centre.code}-${String(i + 1).padStart(5, "0")}`,
      organ,
      abo: pick(rand, ABO),
      hla: typing(rand),
      unacceptable:
        cpra > 50
          ? [
              String(HLA.A[Math.floor(rand() * HLA.A.length)]),
              String(HLA.B[Math.floor(rand() * HLA.B.length)]),
            ]
          : [],
      cpra,
      listedAt: new Date(now.getTime() - Math.floor(rand() * 6 * 365) * DAY),
      dialysisStartedAt: onDialysis ? new Date(now.getTime() - Math.floor(rand() * 8 * 365) * DAY) : null,
      dateOfBirth: new Date(now.getTime() - age * 365.25 * DAY),
      sex: female ? "F" : "M",
      heightCm,
      weightKg: Math.round(heightCm - 100 + (rand() - 0.3) * 30),
      priorLivingDonor: rand() < 0.01,
      priorTransplants: rand() < 0.12 ? 1 : 0,
      diabetes: rand() < 0.3,
      urgency,
    };
  });
  // Listed as the portal lists (server/allocation/waitlist.ts): each candidate gets their own data
  // key with the row, the row keeps no clinical detail (an erasure would leave it in an old row
  // version), and every version the engine reads is sealed in an encrypted record that the
  // candidate.recorded event commits to. Under the waiting-list lock, which takes the data-key lock
  // first, so no key is wrapped by a key-encryption key an erasure is about to destroy.
  const byCode = new Map(candidates.map((c) => [c.code, c]));
  await withTransaction(
    async (tx) => {
      await lockWaitlistForWrite(tx);
      const ring = dataKeyRing();
      await tx.candidate.createMany({
        data: candidates.map((c) => ({
          ...c,
          ...clearedClinicalColumns(),
          allocation: Prisma.DbNull,
          wrappedKey: createRecordKey({ ring }),
        })),
        skipDuplicates: true,
      });
      const listed = await tx.candidate.findMany({
        where: { code: { in: candidates.map((c) => c.code) } },
        include: { center: { select: { id: true, latitude: true, longitude: true } } },
      });
      const recorded = new Set(
        (
          await tx.ledgerEvent.findMany({
            where: { subjectType: "candidate", subjectId: { in: listed.map((r) => r.id) } },
            select: { subjectId: true },
          })
        ).map((e) => e.subjectId),
      );
      for (const { center, ...row } of listed) {
        if (recorded.has(row.id)) continue;
        const full = byCode.get(row.code);
        // The row as the engine reads it: the stored row with the clinical detail, in memory only.
        // (A row seeded by an older version still holds its detail in its columns; it is kept.)
        const inMemory = full && row.dateOfBirth === null ? { ...row, ...full } : row;
        await recordCandidateVersion({
          tx,
          row: inMemory,
          centre: center,
          actor: { userId: null, role: "SYSTEM", orgId: row.centerId },
        });
        await tx.candidateStatusChange.create({
          data: { candidateId: row.id, from: null, to: "ACTIVE", reason: "Listed", byUserId: null },
        });
      }
    },
    { timeoutMs: 120_000 },
  );

  const caseOrgans: Array<Array<[OrganType, string | null]>> = [
    [
      ["KIDNEY", "LEFT"],
      ["KIDNEY", "RIGHT"],
      ["LIVER", null],
      ["HEART", null],
    ],
    [
      ["KIDNEY", "LEFT"],
      ["KIDNEY", "RIGHT"],
      ["LUNG", "EN_BLOC"],
    ],
    [
      ["LIVER", null],
      ["PANCREAS", null],
    ],
  ];
  let sequence = 1;
  for (const [i, organs] of caseOrgans.entries()) {
    const opo = opos[i % opos.length] as (typeof opos)[number];
    const code = `${opo.code}-26-${String(i + 1).padStart(4, "0")}`;
    if (await prisma.donorCase.findUnique({ where: { code } })) continue;
    const age = 22 + Math.floor(rand() * 45);
    const donorFacts = {
      abo: pick(rand, ABO),
      hla: typing(rand) as { A: string[]; B: string[]; C: string[]; DR: string[]; DQ: string[] },
      ageYears: age,
      heightCm: 160 + Math.floor(rand() * 30),
      weightKg: 55 + Math.floor(rand() * 40),
      sex: rand() < 0.45 ? "F" : "M",
      causeOfDeath: pick(rand, [
        ["ANOXIA", 3],
        ["STROKE", 3],
        ["HEAD_TRAUMA", 4],
      ] as const),
      dcd: rand() < 0.25,
      hypertension: rand() < 0.25,
      diabetes: rand() < 0.08,
      creatinineMgDl: +(0.6 + rand() * 1.4).toFixed(2),
      hbv: false,
      hcv: rand() < 0.05,
      hiv: false,
      location: { lat: opo.latitude ?? 0, lon: opo.longitude ?? 0 },
    } as const;
    const prepared = prepareDonor(engineDonor(code, donorFacts, opo));
    await withTransaction(async (tx) => {
      // The family's authorisation the case relies on (demo: donation of all organs for transplant).
      const authorisation = env().DATA_ENCRYPTION_KEYS
        ? await authoriseForDemo(tx, { code, opoId: opo.id, rand })
        : null;
      const donorCase = await tx.donorCase.create({
        data: {
          code,
          opoId: opo.id,
          referralHospital: ["Mercy General", "Lakeview Medical Center", "St Luke's Hospital"][i] as string,
          openedAt: new Date(now.getTime() - (i + 1) * 3_600_000),
          // The engine's donor facts (server/allocation/records.ts ZDonorFactsSchema).
          donor: donorFacts,
          kdri: prepared.kdri,
          kdpi: prepared.kdpi,
          consentVersionId: authorisation?.consentVersionId ?? null,
        },
      });
      for (const [type, laterality] of organs) {
        const { din, checkCharacter } = buildDonationIdentificationNumber({
          facility: opo.code,
          year: now.getUTCFullYear(),
          sequence: sequence++,
        });
        await tx.organ.create({
          data: { donorCaseId: donorCase.id, type, laterality, din: `${din}${checkCharacter}` },
        });
      }
      await appendEvent({
        tx,
        subject: { type: "donor_case", id: donorCase.id },
        type: "donor_case.opened",
        payload: { donorCaseId: donorCase.id, code, organs: organs.map(([t]) => t) },
        actor: { userId: null, role: "SYSTEM", orgId: opo.id },
      });
    });
  }
}
