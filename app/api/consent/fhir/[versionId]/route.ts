import { z } from "zod";
import { currentUser } from "@/server/auth/config";
import { exportConsentFhir } from "@/server/consent/export-fhir";
import { ZAccessReasonSchema } from "@/server/consent/search-registry";
import { isAppError } from "@/server/errors";
import { checkSameOrigin } from "@/server/security/origin-check";

const STATUS = { NOT_FOUND: 404, BAD_REQUEST: 400, FORBIDDEN: 403 } as const;

type TRouteContext = { params: Promise<{ versionId: string }> };

/**
 * A consent version as FHIR R4 Consent JSON. Donors download their own with GET. Staff export with
 * POST and a reason (`reasonCode`, `reasonNote` as form fields or JSON), which is recorded as an
 * access: a write, so never on a GET a cross-site link could trigger, and only from the portal's
 * own pages (origin check).
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

async function exportResponse(ctx: TRouteContext, reasonInput: Record<string, unknown> | null) {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to export a consent." }, { status: 401 });
  if (!["DONOR", "OPO_COORDINATOR", "REGULATOR"].includes(user.role)) {
    return Response.json({ error: "Your role may not export consents." }, { status: 403 });
  }
  const { versionId } = await ctx.params;
  if (!z.uuid().safeParse(versionId).success) {
    return Response.json({ error: "versionId must be a consent version id" }, { status: 400 });
  }
  const reason = reasonInput
    ? ZAccessReasonSchema.safeParse({
        reasonCode: reasonInput.reasonCode,
        reasonNote: reasonInput.reasonNote ?? "",
      })
    : null;
  if (reason && !reason.success) {
    return Response.json(
      { error: reason.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") },
      { status: 400 },
    );
  }
  try {
    const resource = await exportConsentFhir({
      consentVersionId: versionId,
      viewer: user,
      reason: reason?.data,
    });
    return new Response(JSON.stringify(resource, null, 2), {
      headers: {
        "Content-Type": "application/fhir+json; fhirVersion=4.0",
        "Content-Disposition": `attachment; filename="consent-${versionId}.json"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    if (isAppError(err) && err.code in STATUS) {
      return Response.json({ error: err.message }, { status: STATUS[err.code as keyof typeof STATUS] });
    }
    throw err;
  }
}
