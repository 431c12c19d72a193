import { z } from "zod";
import type { TAnchorRegistry } from "@/server/chain/client";
import type { Prisma, PrismaClient } from "@/server/generated/prisma/client";
import { readEventsWithProofs } from "./read-events";
import { type TFinding, verifyEvents } from "./verify-events";

/** Audit bundle format, version 1 (docs/audit-bundle.md). */
export const ZAuditBundleSchema = z.object({
  format: z.literal("transplant-portal/audit-bundle"),
  version: z.literal(1),
  generatedAt: z.string(),
  scope: z.union([
    z.object({ kind: z.literal("subject"), subjectType: z.string(), subjectId: z.string() }),
    z.object({ kind: z.literal("time-range"), from: z.string(), to: z.string() }),
    z.object({ kind: z.literal("ledger") }),
    // Several whole subjects, e.g. everything an organ's provenance spans (organ, case, consent, offers).
    z.object({
      kind: z.literal("subjects"),
      label: z.string().optional(),
      subjects: z.array(z.object({ subjectType: z.string(), subjectId: z.string() })).min(1),
    }),
  ]),
  chain: z.object({ chainId: z.string().nullable(), contract: z.string().nullable() }),
  batches: z.array(
    z.object({
      index: z.number().int(),
      root: z.string(),
      previousRoot: z.string(),
      eventCount: z.number().int(),
      txHash: z.string().nullable(),
    }),
  ),
  events: z.array(
    z.object({
      id: z.string(),
      salt: z.string(),
      subjectType: z.string(),
      subjectId: z.string(),
      sequence: z.number().int(),
      type: z.string(),
      schemaVersion: z.number().int(),
      actor: z.object({
        userId: z.string().nullable(),
        role: z.string().nullable(),
        orgId: z.string().nullable(),
      }),
      serverTime: z.string(),
      reportedTime: z.string().nullable(),
      payload: z.unknown(),
      prevHash: z.string().nullable(),
      hash: z.string(),
      anchor: z
        .object({ batch: z.number().int(), leafIndex: z.number().int(), proof: z.array(z.string()) })
        .nullable(),
    }),
  ),
});
export type TAuditBundle = z.infer<typeof ZAuditBundleSchema>;

export type TBundleScope = TAuditBundle["scope"];

/**
 * Exports the events of one subject (its whole history), a time range, or the whole ledger, with
 * everything needed to verify them against the chain alone: hashes, salts, proofs, batch roots,
 * chain id, contract address and transactions.
 */
export async function exportAuditBundle(opts: {
  scope: TBundleScope;
  chain: { chainId: string | null; contract: string | null };
  now?: Date;
  db?: PrismaClient;
}): Promise<TAuditBundle> {
  const where: Prisma.LedgerEventWhereInput =
    opts.scope.kind === "subject"
      ? { subjectType: opts.scope.subjectType, subjectId: opts.scope.subjectId }
      : opts.scope.kind === "time-range"
        ? { serverTime: { gte: new Date(opts.scope.from), lte: new Date(opts.scope.to) } }
        : opts.scope.kind === "subjects"
          ? { OR: opts.scope.subjects.map((s) => ({ subjectType: s.subjectType, subjectId: s.subjectId })) }
          : {};
  const { events, batches } = await readEventsWithProofs(where, opts.db);
  return {
    format: "transplant-portal/audit-bundle",
    version: 1,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    scope: opts.scope,
    chain: opts.chain,
    batches,
    events,
  };
}

export type TVerifyReport = {
  ok: boolean;
  eventsChecked: number;
  batchesChecked: number;
  findings: TFinding[];
};

/**
 * Verifies a bundle using only the bundle and the chain: one `batchAt` read per batch, then every
 * hash, chain link and proof is checked locally against the on-chain roots.
 */
export async function verifyAuditBundle(
  bundle: TAuditBundle,
  registry: TAnchorRegistry | null,
): Promise<TVerifyReport> {
  const onChainRoots = new Map<number, string | null>();
  if (registry) {
    const count = Number(await registry.batchCount());
    for (const b of bundle.batches) {
      onChainRoots.set(b.index, b.index < count ? (await registry.batchAt(b.index))[0] : null);
    }
  }
  const { findings, eventsChecked } = verifyEvents({
    events: bundle.events,
    batches: bundle.batches,
    onChainRoots,
    wholeSubjects: bundle.scope.kind !== "time-range",
    requireAnchored: false,
  });
  if (!registry) {
    findings.push({ check: "batch-root", message: "no chain to check the batch roots against" });
  }
  return { ok: findings.length === 0, eventsChecked, batchesChecked: bundle.batches.length, findings };
}
