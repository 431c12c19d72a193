import { procedureRefusal, refusal } from "@/app/_trpc/route-refusal";
import { serverCaller } from "@/app/_trpc/server-caller";
import { renderReceiptPdf } from "@/server/consent/receipt-document";

/**
 * The donor's receipt as a PDF (owner only: it carries the decision). Read through `consent.myReceipt`,
 * the procedure the receipt page uses; this route only renders it.
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  try {
    const receipt = await (await serverCaller()).consent.myReceipt({ code });
    const origin = new URL(request.url).origin;
    const pdf = await renderReceiptPdf({ ...receipt, verifyUrl: `${origin}/verify/${receipt.receiptCode}` });
    return new Response(Buffer.from(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="consent-receipt-${receipt.receiptCode}.pdf"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    const refused = procedureRefusal(err);
    if (refused?.kind === "sign-in") return refusal(401, "Sign in to download your receipt.");
    if (refused?.kind === "role") return refusal(403, "Only the donor can download this receipt.");
    // A code that is no receipt code at all is not found either, as before.
    if (refused?.kind === "input" || (refused?.kind === "domain" && refused.code === "NOT_FOUND"))
      return refusal(404, "No such receipt.");
    throw err;
  }
}
