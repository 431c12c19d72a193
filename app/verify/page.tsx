import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Button, Card, Field } from "@/app/_components/ui";
import { parseReceiptCode } from "@/server/consent/receipt-code";

export const metadata: Metadata = { title: "Verify a receipt" };

async function lookUp(form: FormData) {
  "use server";
  const code = parseReceiptCode(String(form.get("code") ?? ""));
  redirect(code ? `/verify/${code}` : `/verify?invalid=1`);
}

/** Public: enter a receipt code (or scan its QR code, which links straight to the result). */
export default async function VerifyPage({ searchParams }: { searchParams: Promise<{ invalid?: string }> }) {
  const { invalid } = await searchParams;
  return (
    <main id="main" className="mx-auto max-w-md px-6 py-16">
      <h1 className="mb-6 text-2xl font-bold">Verify a consent receipt</h1>
      <Card>
        <form action={lookUp} className="space-y-4">
          <Field
            label="Receipt code"
            id="code"
            name="code"
            required
            autoComplete="off"
            hint="10 letters and digits, e.g. 7K3QM-8XH2P"
            error={invalid ? "This is not a receipt code: 10 letters and digits." : undefined}
          />
          <Button type="submit">Verify</Button>
        </form>
      </Card>
    </main>
  );
}
