import { z } from "zod";
import { currentUser } from "@/server/auth/config";
import { isAppError } from "@/server/errors";
import { exportOrganFhir } from "@/server/regulator/organ-fhir";

export const dynamic = "force-dynamic";

/** GET: an organ's history as a FHIR R4 Bundle of Provenance and AuditEvent resources, for regulators. */
export async function GET(_req: Request, { params }: { params: Promise<{ organId: string }> }) {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (user.role !== "REGULATOR" && user.role !== "ADMIN") {
    return Response.json({ error: "Only regulators export an organ's history." }, { status: 403 });
  }
  const { organId } = await params;
  if (!z.uuid().safeParse(organId).success) {
    return Response.json({ error: "organId must be an organ id" }, { status: 400 });
  }
  try {
    const bundle = await exportOrganFhir({ organId });
    return new Response(JSON.stringify(bundle, null, 2), {
      headers: {
        "content-type": "application/fhir+json; fhirVersion=4.0",
        "content-disposition": `attachment; filename="organ-${organId}-fhir.json"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND")
      return Response.json({ error: "No such organ." }, { status: 404 });
    throw err;
  }
}
