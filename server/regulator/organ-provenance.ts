import "server-only";

import { readBatchRoots } from "@/server/chain/batch-roots";
import type { TAnchorRegistry } from "@/server/chain/client";
import { readingUnderDataKeys } from "@/server/consent/private-note";
import { prisma as defaultDb } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { checkPasskeySignatures } from "@/server/ledger/passkey-signatures";
import { rememberedEventHashes } from "@/server/ledger/remembered-hashes";
import { type TBundleEvent, type TFinding, verifyEvents } from "@/server/ledger/verify-events";
import { signatureViews, type TStepSignature } from "@/server/passkey/signature-views";
import { readOrganProvenance } from "./provenance-read";
import { describeCustodyDetails, type TStepFact } from "./step-details";

export { provenanceSubjects } from "./provenance-read";

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
  /** Who recorded the step, by name (null for the system or a person no longer on record). */
  actorName: string | null;
  actorOrgName: string | null;
  /** For custody steps: place, temperature, preservation, device, receiver… in words. */
  facts: TStepFact[];
  /** Excursions the policy flagged on the step when it was recorded (never a silent pass). */
  excursions: string[];
  subject: string;
  sequence: number;
  checks: {
    hash: boolean;
    chainLink: boolean;
    /** The portal's signature over the event's hash holds under the key the ledger's key history names. */
    portalSignature: boolean;
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
  /** For a decision people sign (an offer's answer, a hand-off, a discard, consent): how it was signed. */
  signature: TStepSignature | null;
};

export type TOrganProvenance = {
  organ: { id: string; din: string; type: string; status: string; donorCaseCode: string };
  subjects: Array<{ subjectType: string; subjectId: string }>;
  steps: TProvenanceStep[];
  /** Custody steps with an excursion flagged. */
  excursionCount: number;
  findings: TFinding[];
  verified: boolean;
  chainChecked: boolean;
  /** When the contract was last read for these roots (a final batch's root is read once); null when not checked. */
  chainReadAt: Date | null;
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

/** Times in the regulator's facts: UTC, stated, so no reader has to guess the zone. */
const formatTime = (iso: string) => `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC`;

/**
 * An organ's provenance: consent → donor case → match runs → offers → custody → outcome, each step a
 * ledger event checked here and now: hash recomputed, the portal's signature against the ledger's
 * key history, link to the previous event of its subject, inclusion proof against its batch root,
 * and that root against the contract (one read per batch): `verifyEvents`, the offline verifier's
 * checks, with the passkey signatures checked as there too.
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
  // The database's part in one transaction holding the data-key lock (the steps' notes are opened
  // in it), in direct SQL: about five round trips where Prisma took a dozen statements.
  const { organ, subjects, events, batches, batchInfo, signingKeys, shown, custodyDetails, names } =
    await readingUnderDataKeys(db, (sql) => readOrganProvenance(sql, organId));

  let onChainRoots = new Map<number, string | null>();
  let currentBlock: number | null = null;
  let chainChecked = false;
  let chainReadAt: Date | null = null;
  if (registry) {
    try {
      // Roots of batches already final are read from the contract once, not on every page.
      const read = await readBatchRoots(
        registry,
        batches.map((b) => {
          const n = batchInfo.get(b.index)?.blockNumber;
          return { index: b.index, blockNumber: n == null ? null : Number(n) };
        }),
      );
      onChainRoots = read.roots;
      currentBlock = read.head;
      chainReadAt = read.readAt;
      chainChecked = true;
    } catch {
      onChainRoots.clear(); // chain unreachable: checks below say "not checked" rather than fail
    }
  }
  const { findings } = verifyEvents({
    events,
    batches,
    onChainRoots,
    wholeSubjects: true,
    signingKeys,
    // Content seen before is not hashed again (a changed content is new, and hashed); signatures
    // are checked as always (each verdict is remembered per key, hash and signature).
    precomputed: { hashes: rememberedEventHashes([...events, ...signingKeys]), signatures: new Map() },
  });
  await checkPasskeySignatures(events, (...f) => findings.push(...f));
  const byEvent = new Map<string, TFinding[]>();
  for (const f of findings) {
    if (!f.eventId) continue;
    byEvent.set(f.eventId, [...(byEvent.get(f.eventId) ?? []), f]);
  }
  const badBatches = new Set(
    findings.filter((f) => f.check === "batch-root" && f.batch !== undefined).map((f) => f.batch),
  );

  const nameOf = (id: string) => names.get(id) ?? null;
  const signatureOf = signatureViews({
    events,
    nameOf,
    invalid: new Set(
      findings.flatMap((f) => (f.check === "passkey-signature" && f.eventId ? [f.eventId] : [])),
    ),
    checked: true,
  });

  const steps = shown
    .map((e: TBundleEvent): TProvenanceStep => {
      const custodyId =
        e.type === "custody.recorded" ? (e.payload as { custodyEventId?: string }).custodyEventId : undefined;
      const details =
        (custodyId && custodyDetails.get(custodyId)) ||
        (e.type === "custody.recorded"
          ? ((e.payload as { details?: Record<string, unknown> }).details ?? {})
          : null);
      const described = details
        ? describeCustodyDetails({ details, organType: organ.type, nameOf, formatTime: formatTime })
        : { facts: [], excursions: [] };
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
        actorName: e.actor.userId ? nameOf(e.actor.userId) : null,
        actorOrgName: e.actor.orgId ? nameOf(e.actor.orgId) : null,
        facts: described.facts,
        excursions: described.excursions,
        subject: `${e.subjectType}:${e.subjectId}`,
        sequence: e.sequence,
        checks: {
          hash: !own.some((f) => f.check === "hash"),
          chainLink: !own.some((f) => f.check.startsWith("chain-")),
          portalSignature: !own.some((f) => f.check === "signature"),
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
        signature: signatureOf(e),
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
    excursionCount: steps.filter((s) => s.excursions.length > 0).length,
    findings,
    verified: findings.length === 0,
    chainChecked,
    chainReadAt,
  };
}
