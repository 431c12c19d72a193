import "server-only";

import { chainIdentity } from "@/server/chain/chain-identity";
import { AppError, isAppError } from "@/server/errors";
import { exportAuditBundle, type TAuditBundle, type TBundleScope } from "@/server/ledger/audit-bundle";
import { parseAuditBundleQuery } from "./audit-bundle-query";
import { provenanceSubjects } from "./organ-provenance";

/**
 * The audit bundle a regulator downloads, for an organ (everything its provenance spans: organ,
 * donor case, consent relied on, match runs, offers), one subject or a period, and the name its
 * file is given. A query that is none of these is BAD_REQUEST, an unknown organ NOT_FOUND.
 */
export async function auditBundleDownload({
  params,
}: {
  params: Record<string, string>;
}): Promise<{ bundle: TAuditBundle; name: string }> {
  const query = parseAuditBundleQuery(params);
  if (!query.success) throw new AppError("BAD_REQUEST", query.error, { [query.field]: query.error });
  let scope: TBundleScope;
  let name: string;
  if ("organId" in query.data) {
    const { organId } = query.data;
    const { subjects } = await provenanceSubjects({ organId }).catch((err: unknown) => {
      if (isAppError(err) && err.code === "NOT_FOUND") throw new AppError("NOT_FOUND", "No such organ.");
      throw err;
    });
    scope = { kind: "subjects", label: `organ ${organId}`, subjects };
    name = `organ-${organId}`;
  } else if ("subjectType" in query.data) {
    scope = { kind: "subject", ...query.data };
    name = `${query.data.subjectType}-${query.data.subjectId}`;
  } else {
    scope = { kind: "time-range", ...query.data };
    name = "time-range";
  }
  const chain = await chainIdentity();
  const bundle = await exportAuditBundle({
    scope,
    chain: { chainId: chain.chainId, contract: chain.contract },
  });
  return { bundle, name };
}
