import { currentUser } from "@/server/auth/config";
import { getOwnReceipt } from "@/server/consent/donor-views";
import { renderReceiptPdf } from "@/server/consent/receipt-document";
import { isAppError } from "@/server/errors";

/** The donor's receipt as a PDF (owner only: it carries the decision). */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to download your receipt." }, { status: 401 });
  if (user.role !== "DONOR")
    return Response.json({ error: "Only the donor can download this receipt." }, { status: 403 });
  const { code } = await params;
  try {
    const receipt = await getOwnReceipt({ code, userId: user.id });
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
    if (isAppError(err) && err.code === "NOT_FOUND")
      return Response.json({ error: "No such receipt." }, { status: 404 });
    throw err;
  }
}
