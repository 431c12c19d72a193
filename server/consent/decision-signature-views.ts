import "server-only";

import { prisma } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import {
  asCheckedEvent,
  CHECKED_EVENT_SELECT,
  SIGNATURE_RECORD_TYPES,
} from "@/server/ledger/passkey-check-rows";
import { checkPasskeySignatures } from "@/server/ledger/passkey-signatures";
import { signatureViews, type TStepSignature } from "@/server/passkey/signature-views";

/**
 * How each of a registrant's consent decisions (recorded, changed, revoked: `decisionEventIds`)
 * was signed, for a regulator: signer's name, time and meaning, and whether a passkey signature
 * verifies, checked with the verifier's own checks (`checkPasskeySignatures`) against the signer's
 * `passkey.enrolled` event. By decision event id; a decision with no record yet is AWAITING.
 */
export async function consentSignatureViews(opts: {
  donorId: string;
  decisionEventIds: string[];
  db?: PrismaClient;
}): Promise<Map<string, TStepSignature>> {
  const db = opts.db ?? prisma;
  const [records, decisions] = await Promise.all([
    db.ledgerEvent.findMany({
      where: {
        subjectType: "donor",
        subjectId: opts.donorId,
        type: { in: SIGNATURE_RECORD_TYPES },
      },
      select: CHECKED_EVENT_SELECT,
    }),
    db.ledgerEvent.findMany({ where: { id: { in: opts.decisionEventIds } }, select: CHECKED_EVENT_SELECT }),
  ]);
  const passkeyIds = records.flatMap((r) => {
    const id = (r.payload as { passkeyId?: unknown }).passkeyId;
    return typeof id === "string" ? [id] : [];
  });
  const enrolments = passkeyIds.length
    ? await db.ledgerEvent.findMany({
        where: { subjectType: "passkey", subjectId: { in: passkeyIds }, type: "passkey.enrolled" },
        select: CHECKED_EVENT_SELECT,
      })
    : [];
  const events = [...records, ...decisions, ...enrolments].map(asCheckedEvent);
  const invalid = new Set<string>();
  await checkPasskeySignatures(events, (...found) => {
    for (const f of found) if (f.eventId) invalid.add(f.eventId);
  });
  const signerIds = records.flatMap((r) => (r.actorUserId ? [r.actorUserId] : []));
  const signers = signerIds.length
    ? await db.user.findMany({ where: { id: { in: signerIds } }, select: { id: true, name: true } })
    : [];
  const signatureOf = signatureViews({
    events,
    nameOf: (id) => signers.find((u) => u.id === id)?.name ?? null,
    invalid,
    checked: true,
  });
  const out = new Map<string, TStepSignature>();
  for (const d of events.filter((e) => opts.decisionEventIds.includes(e.id))) {
    const s = signatureOf(d);
    if (s) out.set(d.id, s);
  }
  return out;
}
