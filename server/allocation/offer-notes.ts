import "server-only";

import { readPrivateNotes } from "@/server/consent/private-note";

/** What an offer row holds of its free text: ids of encrypted notes, or plain text on older rows. */
type TOfferNoteColumns = {
  refusalReason: string | null;
  refusalNoteId: string | null;
  bypassReason: string | null;
  bypassNoteId: string | null;
};

export type TOfferTexts = {
  /** The refusal's code and note as the pages show it ("CODE: note", "CODE: (note erased)"). */
  refusalReason: string | null;
  /** The out-of-sequence reason ("(reason erased)" once erased); null when offered in sequence. */
  bypassReason: string | null;
  /** Whether a note can still be erased (its text is still readable). */
  hasNote: boolean;
};

/**
 * The texts of these offers' notes, opened from their encrypted `PrivateNote`s (newer rows) or read
 * from the row (older rows, written before the text was kept apart), keyed by offer id.
 */
export async function offerTexts(offers: Array<{ id: string } & TOfferNoteColumns>) {
  const ids = offers.flatMap((o) => [o.refusalNoteId, o.bypassNoteId].filter((id): id is string => !!id));
  const notes = await readPrivateNotes({ ids });
  const out = new Map<string, TOfferTexts>();
  for (const o of offers) {
    const refusalNote = o.refusalNoteId ? (notes.get(o.refusalNoteId) ?? null) : null;
    const bypassNote = o.bypassNoteId ? (notes.get(o.bypassNoteId) ?? null) : null;
    const legacyRefusalNote = !o.refusalNoteId && !!o.refusalReason?.includes(": ");
    const legacyBypass = !o.bypassNoteId && o.bypassReason !== null && o.bypassReason !== "(reason erased)";
    out.set(o.id, {
      refusalReason: o.refusalNoteId
        ? `${o.refusalReason ?? "OTHER"}: ${refusalNote ?? "(note erased)"}`
        : o.refusalReason,
      bypassReason: o.bypassNoteId ? (bypassNote ?? "(reason erased)") : o.bypassReason,
      hasNote: refusalNote !== null || bypassNote !== null || legacyRefusalNote || legacyBypass,
    });
  }
  return out;
}
