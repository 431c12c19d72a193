import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { LiveStatus } from "@/app/_components/live-status";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { currentUser } from "@/server/auth/config";
import { ROLE_HOME, ROLE_LABEL } from "@/server/auth/roles";
import { SignOutButton } from "./sign-out-button";

export const dynamic = "force-dynamic";

/** Every signed-in workspace: who is signed in, the live channel, and sign-out. */
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return (
    <TRPCReactProvider>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <Link href={ROLE_HOME[user.role]} className="font-semibold text-brand-900">
            Transplant Provenance Portal
          </Link>
          <div className="flex items-center gap-4">
            <LiveStatus />
            <p className="text-sm text-slate-700" data-testid="signed-in-as">
              <span className="font-medium">{user.name}</span> · {ROLE_LABEL[user.role]}
              {user.organisationName ? ` · ${user.organisationName}` : ""}
            </p>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-6 py-8">
        {children}
      </main>
    </TRPCReactProvider>
  );
}
