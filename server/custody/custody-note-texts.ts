import "server-only";

import { z } from "zod";
import { readPrivateNotes } from "@/server/consent/private-note";
import { prisma, type TSql, type Tx } from "@/server/db";
import type { TCustodyFreeText } from "./custody-ledger-details";

const ZFreeTextSchema = z.object({
  place: z.string().optional(),
  device: z.string().optional(),
  reason: z.string().optional(),
});

/**
 * Puts a step's free text back where the pages read it (a place's name as the location's label, a
 * device's label as its id, the reason), the reverse of `splitCustodyDetails`. The working row
 * never holds the text: it is opened from the step's encrypted note.
 */
export function withFreeText(
  details: Record<string, unknown>,
  text: TCustodyFreeText | null,
): Record<string, unknown> {
  if (!text) return details;
  const out: Record<string, unknown> = { ...details };
  if (text.place !== undefined) {
    const loc = out.location;
    out.location = loc && typeof loc === "object" ? { ...loc, label: text.place } : text.place;
  }
  if (text.device !== undefined) {
    const dev = out.deviceReading;
    out.deviceReading = dev && typeof dev === "object" ? { ...dev, deviceId: text.device } : text.device;
  }
  if (text.reason !== undefined) out.reason = text.reason;
  return out;
}

/**
 * Each step's details as recorded, its free text opened from the encrypted note (`noteId`); steps
 * recorded before notes were kept apart hold their text in `details` already. An erased note
 * leaves the readings, times and ids only. Keyed by step id.
 */
export async function stepDetailsWithText(
  rows: Array<{ id: string; details: unknown; noteId: string | null }>,
  db: Tx | typeof prisma | TSql = prisma,
): Promise<Map<string, Record<string, unknown>>> {
  const ids = rows.flatMap((r) => (r.noteId ? [r.noteId] : []));
  const notes = ids.length > 0 ? await readPrivateNotes({ ids, db }) : new Map<string, string | null>();
  return stepDetailsWithNotes(rows, notes);
}

/** `stepDetailsWithText` with the notes already opened (`openNoteRows`), keyed by note id. */
export function stepDetailsWithNotes(
  rows: Array<{ id: string; details: unknown; noteId: string | null }>,
  notes: Map<string, string | null>,
): Map<string, Record<string, unknown>> {
  return new Map(
    rows.map((r) => {
      const details = (r.details ?? {}) as Record<string, unknown>;
      const raw = r.noteId ? notes.get(r.noteId) : null;
      let text: TCustodyFreeText | null = null;
      if (raw) {
        try {
          text = ZFreeTextSchema.parse(JSON.parse(raw)) as TCustodyFreeText;
        } catch {
          text = null;
        }
      }
      return [r.id, withFreeText(details, text)];
    }),
  );
}
