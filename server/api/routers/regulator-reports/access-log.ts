import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listAccessLog } from "@/server/regulator/access-log";
import { ZAccessLogFilterSchema } from "@/server/regulator/access-log-filter";

const ZAccessLogEntrySchema = z.object({
  eventId: z.string(),
  at: z.date(),
  staff: z.object({
    userId: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string().nullable(),
    organisation: z.string().nullable(),
  }),
  donorId: z.string().nullable(),
  recordType: z.string(),
  reasonCode: z.string().nullable(),
  reason: z.string(),
  found: z.boolean(),
});

/** Regulators: every staff read of personal data, filtered and paged; registrants by record id only. */
export const accessLog = roleProcedure("REGULATOR", "ADMIN")
  .input(ZAccessLogFilterSchema.optional())
  .output(
    z.object({
      entries: z.array(ZAccessLogEntrySchema),
      total: z.number(),
      page: z.number(),
      pageSize: z.number(),
    }),
  )
  .query(({ input }) => listAccessLog({ filter: input ?? {} }));
