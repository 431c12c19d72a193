import { HeartPulse } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { AlertCentre } from "@/app/_components/alert-centre";
import { LiveStatus } from "@/app/_components/live-status";
import { NAV_ITEMS } from "@/app/_components/nav/nav-items";
import { DesktopNav, MobileMenu } from "@/app/_components/nav/portal-nav";
import { PreferencesProvider } from "@/app/_components/preferences";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { currentUser } from "@/server/auth/config";
import { ROLE_HOME, ROLE_LABEL } from "@/server/auth/roles";
import { redirectToSignIn } from "./sign-in-redirect";
import { SignOutButton } from "./sign-out-button";

export const dynamic = "force-dynamic";

/** Roles that get alerts: new offers (centres), excursions and ischemia thresholds (OPO, centre, courier). */
const ALERTED_ROLES = new Set(["OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER"]);

/** Every signed-in workspace: the role's menu, who is signed in, the live channel, settings and sign-out. */
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) return redirectToSignIn();
  const preferences = await pageData((await serverCaller(user)).preferences.get());
  const who = (
    <>
      <span className="font-medium">{user.name}</span> · {ROLE_LABEL[user.role]}
      {user.organisationName ? ` · ${user.organisationName}` : ""}
    </>
  );
  const settings = (
    <Link href="/settings" className="text-sm text-brand-700 underline">
      Settings
    </Link>
  );
  return (
    <TRPCReactProvider>
      <PreferencesProvider initial={preferences}>
        <header className="border-b border-slate-200 bg-white print:hidden" data-site-header>
          <div className="mx-auto max-w-6xl space-y-2 px-4 py-3 sm:px-6">
            <div className="flex items-center justify-between gap-3">
              <Link
                href={ROLE_HOME[user.role]}
                className="flex min-w-0 items-center gap-2 font-semibold text-brand-900"
              >
                <HeartPulse aria-hidden="true" className="h-5 w-5 shrink-0 text-brand-700" />
                <span className="truncate">
                  <span className="max-sm:hidden">Transplant </span>Provenance Portal
                </span>
              </Link>
              <div className="flex items-center gap-3 md:gap-4">
                <LiveStatus />
                <p className="hidden text-sm text-slate-700 md:block" data-testid="signed-in-as">
                  {who}
                </p>
                <div className="hidden md:block">{settings}</div>
                <div className="hidden md:block">
                  <SignOutButton />
                </div>
                <MobileMenu
                  items={NAV_ITEMS[user.role]}
                  account={
                    <>
                      <p className="text-slate-700">{who}</p>
                      <p>{settings}</p>
                      <SignOutButton />
                    </>
                  }
                />
              </div>
            </div>
            <DesktopNav items={NAV_ITEMS[user.role]} />
          </div>
        </header>
        {ALERTED_ROLES.has(user.role) ? <AlertCentre role={user.role} /> : null}
        <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>
      </PreferencesProvider>
    </TRPCReactProvider>
  );
}
