import type { Metadata } from "next";
import { ROLES } from "@/server/auth/roles";
import { requireRole } from "../require-role";
import { Passkeys } from "./passkeys";
import { SettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "Settings" };

/** Each user's alert and display settings, and the passkeys people sign their decisions with. */
export default async function SettingsPage() {
  const user = await requireRole(...ROLES); // every role has settings
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Settings</h1>
      <SettingsForm readOnly={user.role === "REGULATOR"} />
      {user.role === "REGULATOR" || user.role === "ADMIN" ? null : <Passkeys />}
    </div>
  );
}
