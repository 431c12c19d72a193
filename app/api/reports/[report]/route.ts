import { procedureRefusal, refusal } from "@/app/_trpc/route-refusal";
import { serverCaller } from "@/app/_trpc/server-caller";
import { ZReportNameSchema } from "@/server/regulator/report-names";

export const dynamic = "force-dynamic";

/**
 * GET /api/reports/<cold-ischemia|discards|offers|transit|consent>?from=YYYY-MM-DD&to=YYYY-MM-DD
 * (&granularity=hour for transit): a regulator report as a CSV download, the rows the chart draws.
 * Read through `regulatorReports.csv` (its guard, input and period); this route shapes the download.
 */
export async function GET(req: Request, { params }: { params: Promise<{ report: string }> }) {
  const report = (await params).report;
  const range = Object.fromEntries(new URL(req.url).searchParams);
  try {
    const { csv, from, toExclusive } = await (await serverCaller()).regulatorReports.csv({
      report,
      range,
    });
    const period = `${from.toISOString().slice(0, 10)}_${new Date(toExclusive.getTime() - 1).toISOString().slice(0, 10)}`;
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${report}-${period}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    const refused = procedureRefusal(err);
    if (refused?.kind === "sign-in") return refusal(401, "Sign in to continue.");
    if (refused?.kind === "role") return refusal(403, "Only regulators download reports.");
    if (refused?.kind === "input") {
      // An unknown report is not found, whatever else is wrong with the request.
      if (!ZReportNameSchema.safeParse(report).success) {
        return refusal(404, `No such report; choose one of ${ZReportNameSchema.options.join(", ")}.`);
      }
      const issues = refused.issues.map((i) => `${i.path.slice(1).join(".") || "query"}: ${i.message}`);
      return refusal(400, issues.length > 0 ? issues.join("; ") : refused.message);
    }
    if (refused?.kind === "domain" && refused.code === "BAD_REQUEST") return refusal(400, refused.message);
    throw err;
  }
}
