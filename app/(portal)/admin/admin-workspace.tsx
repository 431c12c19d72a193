"use client";

import * as Tabs from "@radix-ui/react-tabs";
import { Building2, Users } from "lucide-react";
import { OrganisationsPanel } from "./organisations-panel";
import { UsersPanel } from "./users-panel";

const tab =
  "inline-flex items-center gap-2 border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-700 data-[state=active]:border-brand-700 data-[state=active]:text-brand-900";

/** Users and organisations, as two tabs (Radix Tabs: arrow keys move between them). */
export function AdminWorkspace() {
  return (
    <Tabs.Root defaultValue="users" className="space-y-4">
      <Tabs.List aria-label="Manage" className="flex gap-2 border-b border-slate-200">
        <Tabs.Trigger value="users" className={tab}>
          <Users aria-hidden="true" className="h-4 w-4" />
          Users
        </Tabs.Trigger>
        <Tabs.Trigger value="organisations" className={tab}>
          <Building2 aria-hidden="true" className="h-4 w-4" />
          Organisations
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="users">
        <UsersPanel />
      </Tabs.Content>
      <Tabs.Content value="organisations">
        <OrganisationsPanel />
      </Tabs.Content>
    </Tabs.Root>
  );
}
