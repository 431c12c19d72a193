import type { TAnchorRegistry } from "@/server/chain/client";
import { prisma as defaultDb } from "@/server/db";
import { AppError } from "@/server/errors";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import { type TBundleEvent, type TFinding, verifyEvents } from "@/server/ledger/verify-events";

export type TProvenanceStage =
  | "consent"
  | "donor-case"
  | "match-run"
  | "offer"
  | "custody"
  | "outcome"
  | "other";

export type TProvenanceStep = {
  eventId: string;
  stage: TProvenanceStage;
  type: string;
  title: string;
  at: Date;
  actorRole: string | null;
  subject: string;
  sequence: number;
  checks: {
    hash: boolean;
    chainLink: boolean;
    anchored: {
      batch: number;
      txHash: string | null;
      blockNumber: string | null;
      confirmations: number | null;
    } | null;
    /** The batch root read from the contract matches and the proof leads to it; null when not yet anchored or no chain. */
    onChain: boolean | null;
  };
  findings: string[];
};

export type TOrganProvenance = {
  organ: { id: string; din: string; type: string; status: string; donorCaseCode: string };
  subjects: Array<{ subjectType: string; subjectId: string }>;
  steps: TProvenanceStep[];
  findings: TFinding[];
  verified: boolean;
  chainChecked: boolean;
};

const OUTCOME_KINDS = new Set(["TRANSPLANTED", "DISCARDED", "REPERFUSION", "DISCARD"]);

function stageOf(e: { type: string; subjectType: string; payload: unknown }): TProvenanceStage {
  if (e.type.startsWith("consent.")) return "consent";
  if (e.type.startsWith("donor_case.")) return "donor-case";
  if (e.type.startsWith("match_run.")) return "match-run";
  if (e.type.startsWith("offer.")) return "offer";
  if (e.type === "custody.recorded") {
    const kind = String((e.payload as { kind?: string }).kind ?? "");
    return OUTCOME_KINDS.has(kind) ? "outcome" : "custody";
  }
  return "other";
}

function titleOf(e: { type: string; payload: unknown }): string {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  switch (e.type) {
    case "consent.recorded":
      return `Consent version ${p.version} recorded (${p.kind === "FAMILY_AUTHORISATION" ? "family authorisation" : "first person"})`;
    case "consent.revoked":
      return `Consent version ${p.version} revoked`;
    case "donor_case.opened":
      return `Donor case ${p.code ?? ""} opened`;
    case "match_run.recorded":
      return `Match run: ${p.rankedCount ?? "?"} ranked, ${p.excludedCount ?? "?"} excluded (policy ${(p.policy as { id?: string })?.id ?? "?"} v${(p.policy as { version?: number })?.version ?? "?"})`;
    case "custody.recorded":
      return `Custody: ${String(p.kind ?? "step")
        .toLowerCase()
        .replace(/_/g, " ")}`;
    default:
      return e.type.replace(/[._]/g, " ");
  }
}

/** The ledger subjects an organ's provenance spans: the organ, its donor case, the consent relied on, match runs and offers. */
export async function provenanceSubjects({
  organId,
  db = defaultDb,
}: {
  organId: string;
  db?: PrismaClient;
}) {
  const organ = await db.organ.findUnique({
    where: { id: organId },
    include: {
      donorCase: {
        select: {
          id: true,
          code: true,
          consentVersion: { select: { donorId: true, id: true } },
          authorisations: { select: { donorId: true, id: true } },
        },
      },
    },
  });
  if (!organ) throw new AppError("NOT_FOUND", `no organ ${organId}`);
  const subjects = new Map<string, { subjectType: string; subjectId: string }>();
  const add = (subjectType: string, subjectId: string) =>
    subjects.set(`${subjectType}:${subjectId}`, { subjectType, subjectId });
  add("organ", organ.id);
  add("donor_case", organ.donorCase.id);
  const consentVersionIds = new Set<string>();
  for (const v of [organ.donorCase.consentVersion, ...organ.donorCase.authorisations]) {
    if (!v) continue;
    consentVersionIds.add(v.id);
    if (v.donorId) add("donor", v.donorId);
  }
  // Match runs, offers and other events that name this organ, whatever subject they were filed under.
  const naming = await db.$queryRaw<Array<{ subjectType: string; subjectId: string }>>`
    SELECT DISTINCT "subjectType", "subjectId" FROM "LedgerEvent"
    WHERE payload->>'organId' = ${organId}`;
  for (const s of naming) add(s.subjectType, s.subjectId);
  return { organ, subjects: [...subjects.values()], consentVersionIds };
}

/**
 * An organ's provenance: consent → donor case → match runs → offers → custody → outcome, each step a
 * ledger event checked here and now: hash recomputed, link to the previous event of its subject,
 * inclusion proof against its batch root, and that root against the contract (one read per batch).
 */
export async function getOrganProvenance({
  organId,
  registry,
  db = defaultDb,
}: {
  organId: string;
  registry: TAnchorRegistry | null;
  db?: PrismaClient;
}): Promise<TOrganProvenance> {
  const { organ, subjects, consentVersionIds } = await provenanceSubjects({ organId, db });
  const { events, batches } = await readEventsWithProofs(
    { OR: subjects.map((s) => ({ subjectType: s.subjectType, subjectId: s.subjectId })) },
    db,
  );

  const onChainRoots = new Map<number, string | null>();
  let currentBlock: number | null = null;
  let chainChecked = false;
  if (registry) {
    try {
      const count = Number(await registry.batchCount());
      await Promise.all(
        batches.map(async (b) => {
          onChainRoots.set(b.index, b.index < count ? (await registry.batchAt(b.index))[0] : null);
        }),
      );
      const runner = registry.runner as { provider?: { getBlockNumber(): Promise<number> } } | null;
      currentBlock = runner?.provider ? await runner.provider.getBlockNumber() : null;
      chainChecked = true;
    } catch {
      onChainRoots.clear(); // chain unreachable: checks below say "not checked" rather than fail
    }
  }
  const { findings } = verifyEvents({ events, batches, onChainRoots, wholeSubjects: true });
  const byEvent = new Map<string, TFinding[]>();
  for (const f of findings) {
    if (!f.eventId) continue;
    byEvent.set(f.eventId, [...(byEvent.get(f.eventId) ?? []), f]);
  }
  const batchRows = await db.anchorBatch.findMany({
    where: { id: { in: batches.map((b) => b.index) } },
    select: { id: true, txHash: true, blockNumber: true, status: true },
  });
  const batchInfo = new Map(batchRows.map((b) => [b.id, b]));
  const badBatches = new Set(
    findings.filter((f) => f.check === "batch-root" && f.batch !== undefined).map((f) => f.batch),
  );

  // Donor chains hold other things too (access records, other versions): show only the consent relied on.
  const shown = events.filter((e) => {
    if (e.subjectType !== "donor") return true;
    const id = (e.payload as { consentVersionId?: string }).consentVersionId;
    return id !== undefined && consentVersionIds.has(id);
  });
  const steps = shown
    .map((e: TBundleEvent): TProvenanceStep => {
      const own = byEvent.get(e.id) ?? [];
      const info = e.anchor ? batchInfo.get(e.anchor.batch) : undefined;
      const confirmed = info?.status === "CONFIRMED";
      return {
        eventId: e.id,
        stage: stageOf(e),
        type: e.type,
        title: titleOf(e),
        at: new Date(e.serverTime),
        actorRole: e.actor.role,
        subject: `${e.subjectType}:${e.subjectId}`,
        sequence: e.sequence,
        checks: {
          hash: !own.some((f) => f.check === "hash"),
          chainLink: !own.some((f) => f.check.startsWith("chain-")),
          anchored:
            e.anchor && confirmed
              ? {
                  batch: e.anchor.batch,
                  txHash: info?.txHash ?? null,
                  blockNumber: info?.blockNumber?.toString() ?? null,
                  confirmations:
                    currentBlock !== null && info?.blockNumber != null
                      ? currentBlock - Number(info.blockNumber) + 1
                      : null,
                }
              : null,
          onChain:
            !e.anchor || !chainChecked || !onChainRoots.has(e.anchor.batch)
              ? null
              : !own.some((f) => f.check === "proof") && !badBatches.has(e.anchor.batch),
        },
        findings: own.map((f) => f.message),
      };
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    organ: {
      id: organ.id,
      din: organ.din,
      type: organ.type,
      status: organ.status,
      donorCaseCode: organ.donorCase.code,
    },
    subjects,
    steps,
    findings,
    verified: findings.length === 0,
    chainChecked,
  };
}
