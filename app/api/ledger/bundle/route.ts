import { procedureRefusal, refusal } from "@/app/_trpc/route-refusal";
import { serverCaller } from "@/app/_trpc/server-caller";
import { parseAuditBundleQuery } from "@/server/regulator/audit-bundle-query";

export const dynamic = "force-dynamic";

/**
 * GET /api/ledger/bundle?subjectType=organ&subjectId=… (or ?organId=…, or ?from=…&to=…): the audit
 * bundle as a JSON download, for regulators. `npm run verify -- bundle.json` checks it against the
 * chain alone. Read through `ledger.auditBundle` (its guard and query); this route shapes the download.
 */
export async function GET(req: Request) {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  try {
    const { bundle, name } = await (await serverCaller()).ledger.auditBundle(params);
    return new Response(JSON.stringify(bundle, null, 2), {
      headers: {
        "content-type": "application/json",
        "content-disposition": `attachment; filename="audit-bundle-${name.replace(/[^A-Za-z0-9_-]/g, "_")}.json"`,
      },
    });
  } catch (err) {
    const refused = procedureRefusal(err);
    if (refused?.kind === "sign-in") return refusal(401, "Sign in to continue.");
    if (refused?.kind === "role") return refusal(403, "Only regulators download audit bundles.");
    if (refused?.kind === "input") {
      // Refused before the query was read (text the API never takes, such as NUL): say which rule.
      const query = parseAuditBundleQuery(params);
      return refusal(400, query.success ? refused.message : query.error);
    }
    if (refused?.kind === "domain" && refused.code === "BAD_REQUEST") return refusal(400, refused.message);
    if (refused?.kind === "domain" && refused.code === "NOT_FOUND") return refusal(404, refused.message);
    throw err;
  }
}
