import "server-only";

import type { PrismaClient } from "@/server/generated/prisma/client";
import type { TFinding } from "@/server/ledger/ledger-checks";
import {
  asCheckedEvent,
  CHECKED_EVENT_SELECT,
  isRowId,
  SIGNATURE_RECORD_TYPES,
} from "@/server/ledger/passkey-check-rows";
import { checkPasskeySignatures } from "@/server/ledger/passkey-signatures";

/**
 * The whole-ledger audit's passkey step: every signature record up to `upTo`, with the decisions
 * it names and every passkey enrolment, through the same checks as the offline verifier
 * (ledger/passkey-signatures.ts). Signatures are few (one per signed decision), so they are read
 * at once rather than streamed.
 */
export async function auditPasskeySignatures(
  db: PrismaClient,
  upTo: bigint,
  report: (...f: TFinding[]) => unknown,
): Promise<number> {
  const records = await db.ledgerEvent.findMany({
    where: {
      type: { in: ["passkey.enrolled", ...SIGNATURE_RECORD_TYPES] },
      position: { lte: upTo },
    },
    select: CHECKED_EVENT_SELECT,
  });
  const decisionIds = records.flatMap((r) => {
    const id = (r.payload as { signedEventId?: unknown } | null)?.signedEventId;
    return isRowId(id) ? [id] : [];
  });
  const decisions = decisionIds.length
    ? await db.ledgerEvent.findMany({ where: { id: { in: decisionIds } }, select: CHECKED_EVENT_SELECT })
    : [];
  const events = [...records, ...decisions].map(asCheckedEvent);
  return checkPasskeySignatures(events, report);
}
