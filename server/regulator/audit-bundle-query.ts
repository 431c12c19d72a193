import { z } from "zod";
import { zIsoDateTimeWithin, zPlainText } from "@/server/security/bounded-input";

/** What an audit bundle download asks for: an organ, one subject, or a period. */
const ZOrganQuerySchema = z.strictObject({ organId: z.uuid("organId must be an organ id (UUID)") });
const ZSubjectQuerySchema = z.strictObject({
  subjectType: zPlainText("subjectType", 60).regex(
    /^[a-z][a-z_]*$/,
    "subjectType must be lower-case letters and underscores, e.g. organ",
  ),
  subjectId: zPlainText("subjectId", 200),
});
const ZTimeQuerySchema = z.strictObject({ from: zIsoDateTimeWithin("from"), to: zIsoDateTimeWithin("to") });

export type TAuditBundleQuery =
  | z.output<typeof ZOrganQuerySchema>
  | z.output<typeof ZSubjectQuerySchema>
  | z.output<typeof ZTimeQuerySchema>;

const USAGE = "Give organId, or subjectType and subjectId, or from and to (ISO date-times).";

/**
 * The query parameters of an audit bundle download: the parameters given decide which form the
 * client meant, and its first broken rule names the field (followed by how to ask); `field` is that
 * parameter, for a form.
 */
export function parseAuditBundleQuery(
  params: Record<string, string>,
): { success: true; data: TAuditBundleQuery } | { success: false; error: string; field: string } {
  const schema =
    "organId" in params
      ? ZOrganQuerySchema
      : "subjectType" in params || "subjectId" in params
        ? ZSubjectQuerySchema
        : "from" in params || "to" in params
          ? ZTimeQuerySchema
          : null;
  if (!schema) return { success: false, error: USAGE, field: "(input)" };
  const parsed = schema.safeParse(params);
  if (parsed.success) return { success: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const message =
    issue?.code === "unrecognized_keys"
      ? `unexpected parameter ${issue.keys.join(", ")}`
      : issue?.code === "invalid_type"
        ? `${String(issue.path[0])} is required`
        : (issue?.message ?? "invalid");
  const field =
    issue?.code === "unrecognized_keys" ? (issue.keys[0] ?? "(input)") : String(issue?.path[0] ?? "(input)");
  return { success: false, error: `${message}. ${USAGE}`, field };
}
