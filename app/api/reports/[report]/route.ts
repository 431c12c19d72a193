import { currentUser } from "@/server/auth/config";
import { isAppError } from "@/server/errors";
import { reportCsv, ZReportNameSchema } from "@/server/regulator/report-catalogue";
import { resolveReportRange, ZReportRangeSchema } from "@/server/regulator/report-series";

export const dynamic = "force-dynamic";

/**
 * GET /api/reports/<cold-ischemia|discards|offers|transit|consent>?from=YYYY-MM-DD&to=YYYY-MM-DD
 * (&granularity=hour for transit): a regulator report as a CSV download, the rows the chart draws.
 */
export async function GET(req: Request, { params }: { params: Promise<{ report: string }> }) {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (user.role !== "REGULATOR" && user.role !== "ADMIN") {
    return Response.json({ error: "Only regulators download reports." }, { status: 403 });
  }
  const name = ZReportNameSchema.safeParse((await params).report);
  if (!name.success) {
    return Response.json(
      { error: `No such report; choose one of ${ZReportNameSchema.options.join(", ")}.` },
      { status: 404 },
    );
  }
  const query = ZReportRangeSchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) {
    return Response.json(
      { error: query.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; ") },
      { status: 400 },
    );
  }
  try {
    const range = resolveReportRange(query.data);
    const csv = await reportCsv(name.data, { range });
    const period = `${range.from.toISOString().slice(0, 10)}_${new Date(range.toExclusive.getTime() - 1).toISOString().slice(0, 10)}`;
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name.data}-${period}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    if (isAppError(err) && err.code === "BAD_REQUEST")
      return Response.json({ error: err.message }, { status: 400 });
    throw err;
  }
}
