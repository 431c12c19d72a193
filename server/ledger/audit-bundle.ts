import "server-only";

import { z } from "zod";
import type { TAnchorRegistry } from "@/server/chain/client";
import { env } from "@/server/env";
import type { Prisma, PrismaClient } from "@/server/generated/prisma/client";
import { checkPasskeySignatures } from "./passkey-signatures";
import { readEventsWithProofs } from "./read-events";
import { withPortalKeys, withSignerKeys } from "./signer-keys";
import { type TFinding, verifyEventsFast } from "./verify-events";

const ZBundleEventSchema = z.object({
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
  /** Version 2: the portal's Ed25519 signature over `hash` (base64) and its key's id. */
  signature: z.string().nullable().optional(),
  signedBy: z.string().nullable().optional(),
  anchor: z
    .object({
      batch: z.number().int(),
      leafIndex: z.number().int(),
      proof: z.array(z.string()),
      /** Version 2: the hash the batch committed to, only when it differs from the event's. */
      hash: z.string().optional(),
    })
    .nullable(),
});

/** Audit bundle format, versions 1 and 2 (docs/audit-bundle.md). */
export const ZAuditBundleSchema = z.object({
  format: z.literal("transplant-portal/audit-bundle"),
  version: z.union([z.literal(1), z.literal(2)]),
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
  chain: z.object({
    chainId: z.string().nullable(),
    contract: z.string().nullable(),
    /** Confirmations the portal requires before it calls a batch anchored (absent in older bundles: 1). */
    confirmationsRequired: z.number().int().min(1).optional(),
  }),
  batches: z.array(
    z.object({
      index: z.number().int(),
      root: z.string(),
      previousRoot: z.string(),
      eventCount: z.number().int(),
      txHash: z.string().nullable(),
      /** The portal's view when exported; the verifier counts confirmations on the chain itself. */
      status: z.enum(["PENDING", "SENT", "CONFIRMED"]).optional(),
      /** Version 2: 2 when the batch's tree also holds a head leaf per subject it touched. */
      leafFormat: z.number().int().optional(),
      heads: z
        .array(
          z.object({
            subjectType: z.string(),
            subjectId: z.string(),
            sequence: z.number().int(),
            hash: z.string(),
            leafIndex: z.number().int(),
            proof: z.array(z.string()),
          }),
        )
        .optional(),
    }),
  ),
  events: z.array(ZBundleEventSchema),
  /** Version 2: the whole `ledger:signing-keys` subject, from which every signature is checked. */
  signingKeys: z.array(ZBundleEventSchema).optional(),
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
  chain: { chainId: string | null; contract: string | null; confirmationsRequired?: number };
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
  // The heads of the subjects in scope (every head for the whole ledger): with them a deleted last
  // event, or a whole deleted subject, is named. A time range holds no whole subject.
  const heads =
    opts.scope.kind === "subject"
      ? [{ subjectType: opts.scope.subjectType, subjectId: opts.scope.subjectId }]
      : opts.scope.kind === "subjects"
        ? opts.scope.subjects
        : opts.scope.kind === "ledger"
          ? ("all" as const)
          : ("none" as const);
  const read = await readEventsWithProofs(where, opts.db, { heads });
  // Signers' passkey enrolments and the portal's key history come along, so every signature checks
  // from the bundle alone.
  const { events, batches, signingKeys } = await withPortalKeys(await withSignerKeys(read, opts.db), opts.db);
  return {
    format: "transplant-portal/audit-bundle",
    version: 2,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    scope: opts.scope,
    chain: {
      ...opts.chain,
      confirmationsRequired: opts.chain.confirmationsRequired ?? env().CHAIN_CONFIRMATIONS,
    },
    batches,
    events,
    signingKeys,
  };
}

export type TVerifyReport = {
  /** True only when nothing was found AND every batch has the confirmations required. */
  ok: boolean;
  eventsChecked: number;
  batchesChecked: number;
  findings: TFinding[];
  /** Each batch's confirmations as counted on the chain now, against the number required. */
  confirmations: { required: number; batches: Array<{ batch: number; confirmations: number }> };
  /** Batches on chain but short of the required confirmations: not yet anchored, so not VERIFIED. */
  unconfirmed: Array<{ batch: number; confirmations: number }>;
};

/**
 * Verifies a bundle using only the bundle and the chain: one `batchAt` read per batch and one log
 * query for every batch's block, then every hash, chain link and proof is checked locally against
 * the on-chain roots (the same checks as the whole-ledger audit, ledger-checks.ts). A batch counts
 * as anchored only with `confirmationsRequired` blocks on top (the bundle's figure unless given).
 */
export async function verifyAuditBundle(
  bundle: TAuditBundle,
  registry: TAnchorRegistry | null,
  opts: { confirmationsRequired?: number } = {},
): Promise<TVerifyReport> {
  const required = opts.confirmationsRequired ?? bundle.chain.confirmationsRequired ?? 1;
  const onChainRoots = new Map<number, string | null>();
  const depth: Array<{ batch: number; confirmations: number }> = [];
  if (registry) {
    const count = Number(await registry.batchCount());
    for (const b of bundle.batches) {
      onChainRoots.set(b.index, b.index < count ? (await registry.batchAt(b.index))[0] : null);
    }
    if (bundle.batches.length > 0) {
      const provider = registry.runner?.provider;
      const filter = registry.filters.BatchAnchored?.();
      const [head, logs] = await Promise.all([
        provider ? provider.getBlockNumber() : Promise.resolve(0),
        filter ? registry.queryFilter(filter) : Promise.resolve([]),
      ]);
      const blockOf = new Map(
        logs.flatMap((l) => ("args" in l ? [[Number(l.args.batchIndex), l.blockNumber] as const] : [])),
      );
      for (const b of bundle.batches) {
        const block = blockOf.get(b.index);
        depth.push({
          batch: b.index,
          confirmations: block === undefined ? 0 : Math.max(0, head - block + 1),
        });
      }
    }
  }
  const { findings, eventsChecked } = await verifyEventsFast({
    events: bundle.events,
    batches: bundle.batches,
    onChainRoots,
    wholeSubjects: bundle.scope.kind !== "time-range",
    requireAnchored: false,
    // Bundles from before the portal signed events (version 1) carry no key history.
    signingKeys: bundle.version >= 2 ? (bundle.signingKeys ?? []) : null,
  });
  await checkPasskeySignatures(bundle.events, (...f) => findings.push(...f));
  if (!registry) {
    findings.push({ check: "batch-root", message: "no chain to check the batch roots against" });
  }
  // A batch not on chain at all is already a finding; one on chain but too shallow is pending.
  const unconfirmed = depth.filter((d) => d.confirmations > 0 && d.confirmations < required);
  return {
    ok: findings.length === 0 && unconfirmed.length === 0,
    eventsChecked,
    batchesChecked: bundle.batches.length,
    findings,
    confirmations: { required, batches: depth },
    unconfirmed,
  };
}
