import "server-only";

import { ZExcursionSchema } from "@/server/custody/policy/assess-step";
import { prisma as defaultDb } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { TReportRange } from "./report-series";

export type TExcursionRow = {
  at: string;
  organId: string;
  din: string;
  organType: string;
  step: string;
  code: string;
  temperatureC: number | null;
  rangeC: string;
  preservation: string;
  policy: string;
};

/**
 * Temperature excursions recorded in the period, one row per reading out of range, newest first:
 * organ, step, reading, the range that applied and the policy version that judged it.
 */
export async function excursionsReport({
  range,
  db = defaultDb,
}: {
  range: TReportRange;
  db?: PrismaClient;
}): Promise<TExcursionRow[]> {
  const rows = await db.$queryRaw<
    Array<{ reportedAt: Date; organId: string; din: string; type: string; kind: string; excursions: unknown }>
  >`
    SELECT e."reportedAt", e."organId", o.din, o.type::text AS type, e.kind, e.details->'excursions' AS excursions
      FROM "CustodyEvent" e JOIN "Organ" o ON o.id = e."organId"
     WHERE e."reportedAt" >= ${range.from} AND e."reportedAt" < ${range.toExclusive}
       AND e.details ? 'excursions'
     ORDER BY e."reportedAt" DESC
     LIMIT 1000`;
  return rows.flatMap((r) =>
    (Array.isArray(r.excursions) ? r.excursions : []).flatMap((raw) => {
      const x = ZExcursionSchema.safeParse(raw);
      if (!x.success || !x.data.code.startsWith("TEMPERATURE_")) return [];
      return [
        {
          at: r.reportedAt.toISOString(),
          organId: r.organId,
          din: r.din,
          organType: r.type,
          step: r.kind,
          code: x.data.code,
          temperatureC: x.data.temperatureC ?? null,
          rangeC: x.data.rangeC ? `${x.data.rangeC.minC}–${x.data.rangeC.maxC}` : "",
          preservation: x.data.preservation ?? "",
          policy: x.data.policy,
        },
      ];
    }),
  );
}
