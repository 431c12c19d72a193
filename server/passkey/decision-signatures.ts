import "server-only";

import { prisma } from "@/server/db";
import { SIGNATURE_MEANINGS, type TSignatureMeaning } from "@/server/ledger/signature-meaning";

/** How a decision was signed, for a timeline: who, when and what it means (21 CFR 11.50). */
export type TDecisionSignature = {
  status: "SIGNED" | "NOT_SIGNED";
  meaning: TSignatureMeaning;
  /** "accepted offer", "handed over", … */
  meaningLabel: string;
  signerName: string;
  signedAt: Date;
  /** For NOT_SIGNED: NO_PASSKEY or DECLINED. */
  reasonCode: string | null;
};

/**
 * The signature records (signed with a passkey, or the fallback) of the decisions on these subjects,
 * by the decision's event id. A decision without either is still awaiting its signature.
 */
export async function decisionSignatures(
  subjects: Array<{ type: string; id: string }>,
): Promise<Map<string, TDecisionSignature>> {
  const out = new Map<string, TDecisionSignature>();
  if (subjects.length === 0) return out;
  const rows = await prisma.ledgerEvent.findMany({
    where: {
      OR: subjects.map((s) => ({ subjectType: s.type, subjectId: s.id })),
      type: { in: ["signature.recorded", "signature.not_signed"] },
    },
    select: { type: true, payload: true, serverTime: true, actorUserId: true },
  });
  const userIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const users = new Map(
    (await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map(
      (u) => [u.id, u.name],
    ),
  );
  for (const r of rows) {
    const p = r.payload as { signedEventId: string; meaning: TSignatureMeaning; reasonCode?: string };
    out.set(p.signedEventId, {
      status: r.type === "signature.recorded" ? "SIGNED" : "NOT_SIGNED",
      meaning: p.meaning,
      meaningLabel: SIGNATURE_MEANINGS[p.meaning] ?? p.meaning,
      signerName: (r.actorUserId && users.get(r.actorUserId)) || "(account removed)",
      signedAt: r.serverTime,
      reasonCode: p.reasonCode ?? null,
    });
  }
  return out;
}
