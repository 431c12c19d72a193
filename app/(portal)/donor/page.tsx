import type { Metadata } from "next";
import { signOut } from "@/server/auth/config";
import { requireRole } from "../require-role";
import { RoleHome } from "../role-home";
import { DonorRegistration } from "./donor-registration";

export const metadata: Metadata = { title: "Donor" };

async function signOutAfterErasure() {
  "use server";
  await signOut({ redirectTo: "/?erased=1" });
}

export default async function DonorPage() {
  const user = await requireRole("DONOR");
  return (
    <RoleHome
      user={user}
      duties={[
        "Record your decision to donate: all organs and tissues, a chosen list, or an objection.",
        "Change or revoke your decision at any time; every version is kept.",
        "Print a receipt for each version and verify it on the public verification page.",
        "See who on the staff looked up your record, and why.",
      ]}
    >
      <DonorRegistration eraseAction={signOutAfterErasure} />
    </RoleHome>
  );
}
