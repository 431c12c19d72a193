import bwipjs from "bwip-js/node";
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import type { TConsentDecision } from "./decision-schema";
import { describeDecision } from "./describe-decision";
import { formatReceiptCode } from "./receipt-code";

/** The verification link as a QR code (SVG), drawn on the server. */
export function qrSvg(text: string): string {
  return bwipjs.toSVG({ bcid: "qrcode", text, scale: 3, eclevel: "M" } as Parameters<typeof bwipjs.toSVG>[0]);
}

export type TReceiptDocument = {
  receiptCode: string;
  version: number;
  recordedAt: Date;
  kind: "FIRST_PERSON" | "FAMILY_AUTHORISATION";
  decision: TConsentDecision;
  commitment: string;
  ledgerEventId: string;
  verifyUrl: string;
};

/** Helvetica (WinAnsi) cannot draw every character a donor may type: replace what it cannot. */
const winAnsi = (text: string) => text.replace(/[^\x20-\x7e\xa0-\xff]/g, "?");

/** The receipt as a one-page PDF: the decision, the code, the commitment and a QR code to verify it. */
export async function renderReceiptPdf(receipt: TReceiptDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Consent receipt ${formatReceiptCode(receipt.receiptCode)}`);
  pdf.setCreator("Transplant Provenance Portal");
  const page = pdf.addPage([595, 842]); // A4
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.Courier);
  let y = 780;
  const line = (text: string, opts: { size?: number; f?: typeof font } = {}) => {
    const size = opts.size ?? 11;
    const f = opts.f ?? font;
    // Wrap long lines to the page width.
    const words = winAnsi(text).split(" ");
    let current = "";
    for (const word of words) {
      const next = current ? `${current} ${word}` : word;
      if (f.widthOfTextAtSize(next, size) > 480 && current) {
        page.drawText(current, { x: 56, y, size, font: f, color: rgb(0.1, 0.1, 0.15) });
        y -= size + 6;
        current = word;
      } else current = next;
    }
    page.drawText(current, { x: 56, y, size, font: f, color: rgb(0.1, 0.1, 0.15) });
    y -= size + 8;
  };
  line("Organ donation decision: receipt", { size: 20, f: bold });
  line(`Receipt code ${formatReceiptCode(receipt.receiptCode)}  ·  version ${receipt.version}`, {
    size: 13,
    f: bold,
  });
  line(`Recorded ${receipt.recordedAt.toISOString().replace("T", " ").slice(0, 16)} UTC`);
  line(receipt.kind === "FIRST_PERSON" ? "Your own decision (first person)." : "Family authorisation.");
  y -= 6;
  for (const text of describeDecision(receipt.decision)) line(text, { size: 12 });
  y -= 6;
  line("Commitment (what the public ledger and the blockchain hold):", { f: bold, size: 10 });
  line(receipt.commitment, { f: mono, size: 8 });
  line(`Ledger event ${receipt.ledgerEventId}`, { f: mono, size: 8 });
  line(`Verify at ${receipt.verifyUrl}`, { size: 10 });
  const png = await bwipjs.toBuffer({
    bcid: "qrcode",
    text: receipt.verifyUrl,
    scale: 4,
    eclevel: "M",
  } as Parameters<typeof bwipjs.toBuffer>[0]);
  const image = await pdf.embedPng(png);
  const size = 150;
  page.drawImage(image, { x: 56, y: y - size, width: size, height: size });
  y -= size + 20;
  line("Anyone can check this receipt with the code; only you, signed in, can see the decision itself.", {
    size: 9,
  });
  return pdf.save();
}
