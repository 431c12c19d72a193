import { z } from "zod";
import {
  SIGNATURE_MEANINGS,
  signatureMeaningOf,
  type TSignatureMeaning,
} from "@/server/ledger/signature-meaning";

/**
 * How a decision shown on a timeline was signed (21 CFR 11.50: the signer's printed name, the
 * time, and the meaning): with a passkey (and whether that signature verifies), explicitly not
 * (the fallback, with its reason), or not yet.
 */
export const ZStepSignatureSchema = z.object({
  status: z.enum(["SIGNED", "NOT_SIGNED", "AWAITING"]),
  /** "accepted offer", "handed over", … */
  meaning: z.string(),
  signerName: z.string().nullable(),
  signedAt: z.date().nullable(),
  reasonCode: z.enum(["NO_PASSKEY", "DECLINED"]).nullable(),
  /** For SIGNED: the passkey signature verifies against the enrolled key (null when not checked). */
  valid: z.boolean().nullable(),
});
export type TStepSignature = z.infer<typeof ZStepSignatureSchema>;

type TEvent = {
  id: string;
  type: string;
  payload: unknown;
  serverTime: string | Date;
  actor: { userId: string | null };
};

export const isSignatureRecord = (type: string) =>
  type === "signature.recorded" || type === "signature.not_signed";

/**
 * The signature of each decision among `events`, by the decision's event id. `invalid`: signature
 * events the verifier found wrong; `checked`: whether passkey signatures were verified at all.
 */
export function signatureViews(opts: {
  events: TEvent[];
  nameOf: (userId: string) => string | null;
  invalid: Set<string>;
  checked: boolean;
}): (decision: TEvent) => TStepSignature | null {
  const records = new Map<string, TEvent>();
  for (const e of opts.events) {
    if (!isSignatureRecord(e.type)) continue;
    records.set((e.payload as { signedEventId: string }).signedEventId, e);
  }
  return (decision) => {
    const meaning = signatureMeaningOf(decision);
    if (!meaning) return null;
    const r = records.get(decision.id);
    // Recorded by the portal itself (demo data, imports): no person decided, so no one signs.
    if (!r && !decision.actor.userId) return null;
    if (!r) {
      return {
        status: "AWAITING",
        meaning: SIGNATURE_MEANINGS[meaning],
        signerName: null,
        signedAt: null,
        reasonCode: null,
        valid: null,
      };
    }
    const p = r.payload as { meaning: TSignatureMeaning; reasonCode?: "NO_PASSKEY" | "DECLINED" };
    const signed = r.type === "signature.recorded";
    return {
      status: signed ? "SIGNED" : "NOT_SIGNED",
      meaning: SIGNATURE_MEANINGS[p.meaning] ?? p.meaning,
      signerName: r.actor.userId ? opts.nameOf(r.actor.userId) : null,
      signedAt: new Date(r.serverTime),
      reasonCode: p.reasonCode ?? null,
      valid: signed ? (opts.checked ? !opts.invalid.has(r.id) : null) : null,
    };
  };
}

/** The line a timeline prints for a decision's signature. */
export function describeSignature(s: TStepSignature): string {
  const at = s.signedAt ? `${s.signedAt.toISOString().replace("T", " ").slice(0, 19)} UTC` : "";
  const who = s.signerName ?? "(account removed)";
  switch (s.status) {
    case "SIGNED":
      return `Signed with a passkey by ${who}, ${at}: ${s.meaning}${s.valid === false ? " — SIGNATURE DOES NOT VERIFY" : ""}`;
    case "NOT_SIGNED":
      return `Not signed with a passkey (${s.reasonCode === "DECLINED" ? "declined" : "no passkey enrolled"}): ${s.meaning} by ${who}, ${at}`;
    default:
      return `Awaiting the passkey signature: ${s.meaning}`;
  }
}
