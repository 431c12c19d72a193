"use client";

import * as Dialog from "@radix-ui/react-dialog";
import {
  BookUser,
  ChartColumn,
  ClipboardList,
  Eye,
  FileCheck,
  FolderOpen,
  House,
  Inbox,
  ListOrdered,
  type LucideIcon,
  Menu,
  Scale,
  ScanLine,
  ShieldCheck,
  Users,
  X,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { activeNavHref, type TNavIcon, type TNavItem } from "./nav-items";

const ICONS: Record<TNavIcon, LucideIcon> = {
  home: House,
  decision: FileCheck,
  verify: ShieldCheck,
  registry: BookUser,
  cases: FolderOpen,
  scan: ScanLine,
  offers: Inbox,
  waitlist: ListOrdered,
  organs: ClipboardList,
  allocations: Scale,
  audit: ShieldCheck,
  access: Eye,
  reports: ChartColumn,
  users: Users,
};

function NavLinks({
  items,
  vertical,
  onNavigate,
}: {
  items: readonly TNavItem[];
  vertical?: boolean;
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  const active = activeNavHref(items, pathname);
  return (
    <ul className={vertical ? "space-y-1" : "flex flex-wrap gap-1"}>
      {items.map((item) => {
        const Icon = ICONS[item.icon];
        const current = item.href === active;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={current ? "page" : undefined}
              onClick={onNavigate}
              className={`flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium ${
                current
                  ? "bg-brand-50 text-brand-900"
                  : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"
              }`}
            >
              <Icon aria-hidden="true" className="h-4 w-4 shrink-0" />
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** The role's menu as a row of links, from tablet width up. */
export function DesktopNav({ items }: { items: readonly TNavItem[] }) {
  return (
    <nav aria-label="Main" className="hidden md:block print:hidden">
      <NavLinks items={items} />
    </nav>
  );
}

/**
 * The role's menu on a phone: a "Menu" button opening a panel (Radix Dialog: focus kept inside,
 * Escape closes). `account` is who is signed in and the sign-out button.
 */
export function MobileMenu({ items, account }: { items: readonly TNavItem[]; account: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // A page change closes the panel (also when reached by the browser's back button).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation on purpose
  useEffect(() => setOpen(false), [pathname]);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger
        className="inline-flex items-center gap-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium md:hidden print:hidden"
        data-testid="menu-button"
      >
        <Menu aria-hidden="true" className="h-4 w-4" />
        Menu
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content
          className="fixed inset-y-0 right-0 z-50 flex w-72 max-w-[85vw] flex-col gap-4 overflow-y-auto bg-white p-4 shadow-xl"
          aria-describedby={undefined}
        >
          <div className="flex items-center justify-between">
            <Dialog.Title className="text-lg font-semibold">Menu</Dialog.Title>
            <Dialog.Close className="rounded-md p-1 hover:bg-slate-100" aria-label="Close the menu">
              <X aria-hidden="true" className="h-5 w-5" />
            </Dialog.Close>
          </div>
          <nav aria-label="Main">
            <NavLinks items={items} vertical onNavigate={() => setOpen(false)} />
          </nav>
          <div className="mt-auto space-y-3 border-t border-slate-200 pt-3 text-sm">{account}</div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
