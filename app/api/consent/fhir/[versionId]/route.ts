import { z } from "zod";
import { currentUser } from "@/server/auth/config";
import { exportConsentFhir } from "@/server/consent/export-fhir";
import { ZAccessReasonSchema } from "@/server/consent/search-registry";
import { isAppError } from "@/server/errors";

const STATUS = { NOT_FOUND: 404, BAD_REQUEST: 400, FORBIDDEN: 403 } as const;

/**
 * A consent version as FHIR R4 Consent JSON. Donors download their own; staff add
 * `?reasonCode=…&reasonNote=…` and the download is recorded as an access.
 */
export async function GET(request: Request, { params }: { params: Promise<{ versionId: string }> }) {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to export a consent." }, { status: 401 });
  if (!["DONOR", "OPO_COORDINATOR", "REGULATOR"].includes(user.role)) {
    return Response.json({ error: "Your role may not export consents." }, { status: 403 });
  }
  const { versionId } = await params;
  if (!z.uuid().safeParse(versionId).success) {
    return Response.json({ error: "versionId must be a consent version id" }, { status: 400 });
  }
  const query = new URL(request.url).searchParams;
  const reason = query.has("reasonCode")
    ? ZAccessReasonSchema.safeParse({
        reasonCode: query.get("reasonCode"),
        reasonNote: query.get("reasonNote") ?? "",
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
