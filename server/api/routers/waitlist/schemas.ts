import "server-only";

import { z } from "zod";

/** A waiting-list row as the centre's list shows it. */
export const ZWaitlistRowSchema = z.object({
  id: z.string(),
  code: z.string(),
  organ: z.string(),
  status: z.string(),
  abo: z.string(),
  cpra: z.number(),
  listedAt: z.date(),
  /** When the centre erased the candidate's record (clinical detail crypto-shredded); null if not. */
  erasedAt: z.date().nullable(),
});

export const ZCandidateIdSchema = z.uuid("id must be a candidate id");
