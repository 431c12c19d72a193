import type { z } from "zod";
import { procedureRefusal, refusal } from "@/app/_trpc/route-refusal";
import { serverCaller } from "@/app/_trpc/server-caller";
import type { ZAccessReasonSchema } from "@/server/consent/search-registry";
import { checkSameOrigin } from "@/server/security/origin-check";

const STATUS = { NOT_FOUND: 404, BAD_REQUEST: 400, FORBIDDEN: 403 } as const;

type TAccessReasonInput = z.input<typeof ZAccessReasonSchema>;
type TRouteContext = { params: Promise<{ versionId: string }> };

/**
 * A consent version as FHIR R4 Consent JSON. Donors download their own with GET. Staff export with
 * POST and a reason (`reasonCode`, `reasonNote` as form fields or JSON), which is recorded as an
 * access: a write, so never on a GET a cross-site link could trigger, and only from the portal's
 * own pages (origin check). Both go through `consent.exportFhir`, so its guard and its access
 * record are the API's; this route reads the request and shapes the download.
 */
export async function GET(request: Request, ctx: TRouteContext) {
  const query = new URL(request.url).searchParams;
  if (query.has("reasonCode") || query.has("reasonNote")) {
    return Response.json(
      {
        error: "An export with a reason is recorded as an access: send it as a POST from the portal's pages.",
      },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  return exportResponse(ctx, null);
}

export async function POST(request: Request, ctx: TRouteContext) {
  const origin = checkSameOrigin({ method: "POST", headers: request.headers });
  if (!origin.ok) return Response.json({ error: origin.reason }, { status: 403 });
  const body = await readReason(request);
  if (!body) {
    return Response.json({ error: "reasonCode is required (form fields or a JSON object)" }, { status: 400 });
  }
  return exportResponse(ctx, body);
}

async function readReason(request: Request): Promise<Record<string, unknown> | null> {
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) {
      const json: unknown = await request.json();
      return json && typeof json === "object" && !Array.isArray(json)
        ? (json as Record<string, unknown>)
        : null;
    }
    if (type.includes("form")) {
      const form = await request.formData();
      return { reasonCode: form.get("reasonCode"), reasonNote: form.get("reasonNote") ?? "" };
    }
  } catch {
    return null;
  }
  return null;
}

/** The export through `consent.exportFhir` (its guard, input and access record), as a download. */
async function exportResponse(ctx: TRouteContext, reasonInput: Record<string, unknown> | null) {
  const { versionId } = await ctx.params;
  const reason = reasonInput
    ? { reasonCode: reasonInput.reasonCode, reasonNote: reasonInput.reasonNote ?? "" }
    : undefined;
  try {
    const resource = await (await serverCaller()).consent.exportFhir({
      consentVersionId: versionId,
      // Checked by the procedure's schema: a reason that is not one is refused as bad input.
      reason: reason as TAccessReasonInput | undefined,
    });
    return new Response(JSON.stringify(resource, null, 2), {
      headers: {
        "Content-Type": "application/fhir+json; fhirVersion=4.0",
        "Content-Disposition": `attachment; filename="consent-${versionId}.json"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    const refused = procedureRefusal(err);
    if (refused?.kind === "sign-in") return refusal(401, "Sign in to export a consent.");
    if (refused?.kind === "role") return refusal(403, "Your role may not export consents.");
    if (refused?.kind === "input") {
      if (refused.issues.some((i) => i.path[0] === "consentVersionId"))
        return refusal(400, "versionId must be a consent version id");
      const reasonIssues = refused.issues.map((i) => `${i.path.slice(1).join(".")}: ${i.message}`);
      return refusal(400, reasonIssues.length > 0 ? reasonIssues.join("; ") : refused.message);
    }
    if (refused?.kind === "domain" && refused.code in STATUS)
      return refusal(STATUS[refused.code as keyof typeof STATUS], refused.message);
    throw err;
  }
}
