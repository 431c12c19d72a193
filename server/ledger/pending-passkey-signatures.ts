import type { PrismaClient } from "@/server/generated/prisma/client";
import type { TFinding } from "./ledger-checks";
import { asCheckedEvent, CHECKED_EVENT_SELECT, isRowId, SIGNATURE_RECORD_TYPES } from "./passkey-check-rows";
import { checkPasskeySignatures, type TSignatureCheckedEvent } from "./passkey-signatures";

const str = (payload: unknown, key: string): string | null => {
  const v = payload && typeof payload === "object" ? (payload as Record<string, unknown>)[key] : undefined;
  return typeof v === "string" ? v : null;
};

/**
 * The passkey signature records among events about to be anchored, checked as the audit and the
 * offline verifier check them (`checkPasskeySignatures`): each against the decision it signs and
 * the passkey's `passkey.enrolled` event, read from the ledger, together with the earlier records
 * of the same decisions and passkeys (so a second record of one decision, or a counter that did
 * not go up, is seen too). Returns the findings that name a pending event, by its id; findings on
 * events already anchored were reported when those were.
 */
export async function pendingPasskeyProblems(
  db: PrismaClient,
  pending: TSignatureCheckedEvent[],
): Promise<Map<string, TFinding>> {
  const records = pending.filter((e) => SIGNATURE_RECORD_TYPES.includes(e.type));
  const problems = new Map<string, TFinding>();
  if (records.length === 0) return problems;
  const ids = (key: string) => [...new Set(records.map((r) => str(r.payload, key)))].filter(isRowId);
  const decisionIds = ids("signedEventId");
  const passkeyIds = ids("passkeyId");
  const pendingIds = new Set(records.map((r) => r.id));
  const rows = await db.ledgerEvent.findMany({
    where: {
      OR: [
        { id: { in: decisionIds } },
        { type: "passkey.enrolled", subjectType: "passkey", subjectId: { in: passkeyIds } },
      ],
    },
    select: CHECKED_EVENT_SELECT,
  });
  // Earlier records of the same decisions or passkeys (few: one per signed decision).
  const earlier = await db.ledgerEvent.findMany({
    where: {
      type: { in: SIGNATURE_RECORD_TYPES },
      id: { notIn: [...pendingIds] },
      OR: [
        ...decisionIds.map((id) => ({ payload: { equals: id, path: ["signedEventId"] } })),
        ...passkeyIds.map((id) => ({ payload: { equals: id, path: ["passkeyId"] } })),
      ],
    },
    select: CHECKED_EVENT_SELECT,
  });
  const events: TSignatureCheckedEvent[] = [...[...rows, ...earlier].map(asCheckedEvent), ...records];
  await checkPasskeySignatures(events, (...found) => {
    for (const f of found)
      if (f.eventId && pendingIds.has(f.eventId) && !problems.has(f.eventId)) problems.set(f.eventId, f);
  });
  return problems;
}
