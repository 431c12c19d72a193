import { z } from "zod";
import { currentUser } from "@/server/auth/config";
import { chainIdentity } from "@/server/chain/chain-identity";
import { exportAuditBundle, type TBundleScope } from "@/server/ledger/audit-bundle";
import { provenanceSubjects } from "@/server/regulator/organ-provenance";
import { zIsoDateTimeWithin, zPlainText } from "@/server/security/bounded-input";

export const dynamic = "force-dynamic";

const ZOrganQuerySchema = z.strictObject({ organId: z.uuid("organId must be an organ id (UUID)") });
const ZSubjectQuerySchema = z.strictObject({
  subjectType: zPlainText("subjectType", 60).regex(
    /^[a-z][a-z_]*$/,
    "subjectType must be lower-case letters and underscores, e.g. organ",
  ),
  subjectId: zPlainText("subjectId", 200),
});
const ZTimeQuerySchema = z.strictObject({ from: zIsoDateTimeWithin("from"), to: zIsoDateTimeWithin("to") });

const USAGE = "Give organId, or subjectType and subjectId, or from and to (ISO date-times).";

/** The parameters given decide which form the client meant; its first broken rule names the field. */
function parseQuery(params: Record<string, string>) {
  const schema =
    "organId" in params
      ? ZOrganQuerySchema
      : "subjectType" in params || "subjectId" in params
        ? ZSubjectQuerySchema
        : "from" in params || "to" in params
          ? ZTimeQuerySchema
          : null;
  if (!schema) return { success: false as const, error: USAGE };
  const parsed = schema.safeParse(params);
  if (parsed.success) return { success: true as const, data: parsed.data };
  const issue = parsed.error.issues[0];
  const message =
    issue?.code === "unrecognized_keys"
      ? `unexpected parameter ${issue.keys.join(", ")}`
      : issue?.code === "invalid_type"
        ? `${String(issue.path[0])} is required`
        : (issue?.message ?? "invalid");
  return { success: false as const, error: `${message}. ${USAGE}` };
}

/**
 * GET /api/ledger/bundle?subjectType=organ&subjectId=… (or ?from=…&to=…): the audit bundle as a
 * JSON download, for regulators. `npm run verify -- bundle.json` checks it against the chain alone.
 */
export async function GET(req: Request) {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (user.role !== "REGULATOR" && user.role !== "ADMIN") {
    return Response.json({ error: "Only regulators download audit bundles." }, { status: 403 });
  }
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const query = parseQuery(params);
  if (!query.success) return Response.json({ error: query.error }, { status: 400 });
  let scope: TBundleScope;
  if ("organId" in query.data) {
    // Everything the organ's provenance spans: organ, donor case, consent relied on, match runs, offers.
    const { subjects } = await provenanceSubjects({ organId: query.data.organId }).catch(() => ({
      subjects: null,
    }));
    if (!subjects) return Response.json({ error: "No such organ." }, { status: 404 });
    scope = { kind: "subjects", label: `organ ${query.data.organId}`, subjects };
  } else if ("subjectType" in query.data) {
    scope = { kind: "subject", ...query.data };
  } else {
    scope = { kind: "time-range", ...query.data };
  }
  const chain = await chainIdentity();
  const bundle = await exportAuditBundle({
    scope,
    chain: { chainId: chain.chainId, contract: chain.contract },
  });
  const name =
    "organId" in query.data
      ? `organ-${query.data.organId}`
      : "subjectId" in query.data
        ? `${query.data.subjectType}-${query.data.subjectId}`
        : "time-range";
  return new Response(JSON.stringify(bundle, null, 2), {
    headers: {
      "content-type": "application/json",
      "content-disposition": `attachment; filename="audit-bundle-${name.replace(/[^A-Za-z0-9_-]/g, "_")}.json"`,
    },
  });
}
