import bwipjs from "bwip-js/node";
import type { Metadata } from "next";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Organ label" };

/** The barcode as an SVG data URL (bwip-js renders on the server; the browser only shows it). */
function barcode(bcid: "code128" | "datamatrix", text: string): string {
  const svg = bwipjs.toSVG(
    bcid === "code128" ? { bcid, text, scale: 2, height: 14, includetext: false } : { bcid, text, scale: 3 },
  );
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

/** A printable packaging label: the DIN as Code 128 and DataMatrix, its check character boxed beside it. */
export default async function OrganLabelPage({ params }: { params: Promise<{ organId: string }> }) {
  const { organId } = await params;
  const label = await pageData((await serverCaller()).custody.organLabel({ organId }));
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between print:hidden">
        <h1 className="text-2xl font-bold text-slate-900">Organ label</h1>
        <PrintButton />
      </div>
      <section
        aria-label="Label"
        className="w-full max-w-[28rem] space-y-3 rounded border-2 border-slate-900 bg-white p-4 text-slate-900"
        data-testid="organ-label"
      >
        <p className="text-xs uppercase tracking-wide">Human organ for transplant · handle with care</p>
        <p className="text-xl font-bold">
          {label.type}
          {label.laterality ? ` · ${label.laterality}` : ""}
        </p>
        <div className="flex items-end gap-4">
          {/* biome-ignore lint/performance/noImgElement: an inline SVG data URL, nothing for next/image to optimise */}
          <img
            src={barcode("code128", label.din)}
            alt={`Code 128 barcode of DIN ${label.din}`}
            className="w-64 min-w-0 max-w-[70%]"
          />
          {/* biome-ignore lint/performance/noImgElement: an inline SVG data URL, nothing for next/image to optimise */}
          <img
            src={barcode("datamatrix", label.din)}
            alt={`DataMatrix of DIN ${label.din}`}
            className="w-20 shrink-0"
          />
        </div>
        <p className="font-mono text-lg" data-testid="label-din">
          {label.din.slice(0, 5)} {label.din.slice(5, 7)} {label.din.slice(7)}{" "}
          <span
            className="ml-1 inline-block border border-slate-900 px-1"
            title="check character"
            data-testid="label-check"
          >
            {label.check}
          </span>
        </p>
        <dl className="grid grid-cols-2 gap-x-3 text-sm">
          <dt className="font-medium">Recovered by</dt>
          <dd>
            {label.opoName} ({label.opoCode})
          </dd>
          <dt className="font-medium">Destination</dt>
          <dd>{label.destinationName ?? "not yet allocated"}</dd>
          <dt className="font-medium">Cross-clamp</dt>
          <dd>
            {label.crossClampAt
              ? `${label.crossClampAt.toISOString().replace("T", " ").slice(0, 16)} UTC`
              : "—"}
          </dd>
        </dl>
      </section>
    </div>
  );
}
