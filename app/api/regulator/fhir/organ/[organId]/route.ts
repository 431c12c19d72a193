import { procedureRefusal, refusal } from "@/app/_trpc/route-refusal";
import { serverCaller } from "@/app/_trpc/server-caller";

export const dynamic = "force-dynamic";

/**
 * GET: an organ's history as a FHIR R4 Bundle of Provenance and AuditEvent resources, for regulators.
 * Read through `provenance.organFhir` (its guard and input); this route shapes the download.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ organId: string }> }) {
  const { organId } = await params;
  try {
    const bundle = await (await serverCaller()).provenance.organFhir({ organId });
    return new Response(JSON.stringify(bundle, null, 2), {
      headers: {
        "content-type": "application/fhir+json; fhirVersion=4.0",
        "content-disposition": `attachment; filename="organ-${organId}-fhir.json"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    const refused = procedureRefusal(err);
    if (refused?.kind === "sign-in") return refusal(401, "Sign in to continue.");
    if (refused?.kind === "role") return refusal(403, "Only regulators export an organ's history.");
    if (refused?.kind === "input") return refusal(400, "organId must be an organ id");
    if (refused?.kind === "domain" && refused.code === "NOT_FOUND") return refusal(404, "No such organ.");
    throw err;
  }
}
