import { z } from "zod";
import { ACCESS_REASON_LABELS, type TAccessReason } from "@/server/consent/access-reasons";

const REASON_CODES = Object.keys(ACCESS_REASON_LABELS) as [TAccessReason, ...TAccessReason[]];

/** Filters of the access log (all optional): whole UTC days for the period, both ends included. */
export const ZAccessLogFilterSchema = z.object({
  staffUserId: z.uuid("staffUserId must be a user id").optional(),
  donorId: z.uuid("donorId must be a registrant id").optional(),
  reasonCode: z.enum(REASON_CODES).optional(),
  from: z.iso.date("from must be a date (YYYY-MM-DD)").optional(),
  to: z.iso.date("to must be a date (YYYY-MM-DD)").optional(),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type TAccessLogFilter = z.input<typeof ZAccessLogFilterSchema>;
