import { randomBytes } from "node:crypto";
import { ZodError } from "zod";
import type { TOpenDonorCase } from "@/server/allocation/donor-case";
import type { TCandidateEntry } from "@/server/allocation/records";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { isAppError } from "@/server/errors";
import type { TStaff } from "./organ-factory";

/** Eight hex characters, to keep names and identifiers of one test apart from another's. */
export const unique = () => randomBytes(4).toString("hex").toUpperCase();

/** A staff member as a session sees them (with their organisation's name). */
export const asUser = (s: TStaff): TSessionUser => ({ ...s.user, organisationName: s.org.name });

/** The tRPC caller a signed-in staff member's requests go through. */
export const callerFor = (s: TStaff) => createCaller({ user: asUser(s) });

/** The refusal a caller sees: code, message and field errors (zod input errors as the API formats them). */
export async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const app = isAppError(err) ? err : isAppError(cause) ? cause : null;
    if (app) return { code: app.code, message: app.message, fieldErrors: app.fieldErrors ?? {} };
    if (cause instanceof ZodError) {
      return {
        code: "BAD_REQUEST",
        message: cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        fieldErrors: Object.fromEntries(cause.issues.map((i) => [i.path.join("."), i.message])),
      };
    }
    throw err;
  }
  throw new Error("expected a refusal");
}

/** An adult O kidney candidate on dialysis, compatible with `donorFacts`; override what a test varies. */
export function kidneyCandidate(over: Partial<TCandidateEntry> = {}): TCandidateEntry {
  return {
    organ: "KIDNEY",
    abo: "O",
    hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
    unacceptable: [],
    cpra: 10,
    listedAt: "2022-01-10",
    dialysisStartedAt: "2021-06-01",
    dateOfBirth: "1975-05-05",
    sex: "F",
    heightCm: 168,
    weightKg: 70,
    priorLivingDonor: false,
    priorTransplants: 0,
    diabetes: false,
    urgency: { highUrgency: false },
    ...over,
  };
}

/** A 41-year-old brain-dead donor, group O, no infections. */
export const donorFacts: TOpenDonorCase["donor"] = {
  abo: "O",
  hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
  ageYears: 41,
  heightCm: 175,
  weightKg: 80,
  sex: "M",
  causeOfDeath: "STROKE",
  dcd: false,
  hypertension: false,
  diabetes: false,
  creatinineMgDl: 1.0,
  hbv: false,
  hcv: false,
  hiv: false,
};

/** A family authorisation recorded by `opo` for someone never registered; returns its receipt code. */
export async function familyAuthorisation(
  opo: TStaff,
  opts: { organs?: string[] | "ALL"; purposes?: string[]; restrictions?: string } = {},
): Promise<string> {
  const organs = opts.organs ?? "ALL";
  const r = await callerFor(opo).consent.recordFamilyAuthorisation({
    person: {
      fullName: `Never Registered ${unique()}`,
      dateOfBirth: "1980-02-02",
      identifier: { scheme: "GENERIC", value: `FAM${unique()}` },
    },
    decision: organs === "ALL" ? "DONATE_ALL" : "DONATE_SELECTED",
    organs: organs === "ALL" ? [] : organs,
    purposes: opts.purposes ?? ["TRANSPLANT"],
    ...(opts.restrictions ? { restrictions: opts.restrictions } : {}),
    authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  return r.receiptCode;
}

/** Opens a donor case through the API, on `receipt` or on a fresh family authorisation of every organ. */
export async function openDonorCase(
  opo: TStaff,
  opts: {
    organs?: TOpenDonorCase["organs"];
    receipt?: string;
    donor?: Partial<TOpenDonorCase["donor"]>;
  } = {},
) {
  return callerFor(opo).donorCase.open({
    referralHospital: "St Elsewhere",
    consentReceiptCode: opts.receipt ?? (await familyAuthorisation(opo)),
    donor: { ...donorFacts, ...opts.donor },
    organs: opts.organs ?? [{ type: "KIDNEY", laterality: "LEFT" }],
  });
}

/**
 * A kidney matched against `n` fresh candidates of `centre`: the centre's earlier kidney candidates
 * leave the list first (through the API, so the ledger's list follows), so the run ranks these.
 */
export async function kidneyWithCandidates(
  staff: { opo: TStaff; centre: TStaff },
  n: number,
  over: Partial<TCandidateEntry> = {},
) {
  const centre = callerFor(staff.centre);
  const earlier = await prisma.candidate.findMany({
    where: { organ: "KIDNEY", status: "ACTIVE", centerId: staff.centre.org.id },
    select: { id: true },
  });
  for (const c of earlier) {
    await centre.waitlist.setStatus({ candidateId: c.id, status: "REMOVED", reason: "test done" });
  }
  const candidateIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const entry = kidneyCandidate({ cpra: 5 + i, listedAt: `201${i % 10}-03-01`, ...over });
    candidateIds.push((await centre.waitlist.add(entry)).id);
  }
  const c = await openDonorCase(staff.opo, { organs: [{ type: "KIDNEY", laterality: "LEFT" }] });
  const organId = c.organs[0]?.id as string;
  const run = await callerFor(staff.opo).matchRun.run({ organId });
  return { organId, run, candidateIds, caseId: c.donorCaseId };
}

/**
 * The calls an allocation test makes again and again, for its OPO and transplant centre (read when
 * called, so a file may take its staff from a `beforeAll`): their callers, a donor case opened by
 * the OPO, and a kidney matched against fresh candidates of the centre.
 */
export function allocationDesk(staff: () => { opo: TStaff; centre: TStaff }) {
  return {
    opoCaller: () => callerFor(staff().opo),
    centreCaller: () => callerFor(staff().centre),
    openCase: (organs: TOpenDonorCase["organs"], receipt?: string) =>
      openDonorCase(staff().opo, { organs, receipt }),
    kidneyWithCandidates: (n: number, over: Partial<TCandidateEntry> = {}) =>
      kidneyWithCandidates(staff(), n, over),
  };
}
