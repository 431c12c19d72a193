import { z } from "zod";
import { currentUser } from "@/server/auth/config";
import { env } from "@/server/env";
import { exportAuditBundle, type TBundleScope } from "@/server/ledger/audit-bundle";
import { provenanceSubjects } from "@/server/regulator/organ-provenance";

export const dynamic = "force-dynamic";

const ZQuerySchema = z.union([
  z.object({ organId: z.uuid() }),
  z.object({ subjectType: z.string().min(1).max(60), subjectId: z.string().min(1).max(200) }),
  z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
]);

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
  const query = ZQuerySchema.safeParse(params);
  if (!query.success) {
    return Response.json(
      { error: "Give organId, or subjectType and subjectId, or from and to (ISO date-times)." },
      { status: 400 },
    );
  }
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
  const { ANCHOR_REGISTRY_ADDRESS } = env();
  const bundle = await exportAuditBundle({
    scope,
    chain: { chainId: null, contract: ANCHOR_REGISTRY_ADDRESS ?? null },
  });
  const name =
    "organId" in query.data
      ? `organ-${query.data.organId}`
      : "subjectId" in query.data
        ? `${query.data.subjectType}-${query.data.subjectId}`
        : "time-range";
  return new Response(
    JSON.stringify({ ...bundle, chain: { ...bundle.chain, chainId: await chainIdOf() } }, null, 2),
    {
      headers: {
        "content-type": "application/json",
        "content-disposition": `attachment; filename="audit-bundle-${name.replace(/[^A-Za-z0-9_-]/g, "_")}.json"`,
      },
    },
  );
}

async function chainIdOf(): Promise<string | null> {
  try {
    const { chainClient } = await import("@/server/chain/client");
    return BigInt(await chainClient().provider.send("eth_chainId", [])).toString();
  } catch {
    return null;
  }
}
