import "server-only";

import { z } from "zod";

export const ZLedgerAuditFindingSchema = z.object({
  check: z.string(),
  eventId: z.string().optional(),
  subject: z.string().optional(),
  sequence: z.number().optional(),
  batch: z.number().optional(),
  message: z.string(),
});

export const ZLedgerAuditJobSchema = z.object({
  id: z.string(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  progress: z.object({
    phase: z.enum(["events", "batches"]),
    eventsChecked: z.number(),
    eventsTotal: z.number(),
    batchesChecked: z.number(),
    batchesTotal: z.number(),
  }),
  findingsSoFar: z.number(),
  report: z
    .object({
      eventsChecked: z.number(),
      batchesChecked: z.number(),
      batchesPending: z.number(),
      upToPosition: z.string(),
      chainChecked: z.boolean(),
      findings: z.array(ZLedgerAuditFindingSchema),
      findingsTotal: z.number(),
    })
    .nullable(),
  error: z.string().nullable(),
});

export type TLedgerAuditJobView = z.infer<typeof ZLedgerAuditJobSchema>;
