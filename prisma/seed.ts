/**
 * Demo data: organisations, one user per role (demo passwords are in README.md, for the demo only)
 * and a synthetic data set. `npm start` runs `seedIfEmpty()`; `npm run db:seed` seeds an empty DB.
 */
import { hashPassword } from "@/server/auth/password";
import type { TRole } from "@/server/auth/roles";
import { recordConsent } from "@/server/consent/record-consent";
import { createDonorRecord } from "@/server/consent/register-donor";
import { prisma, withTransaction } from "@/server/db";
import { env } from "@/server/env";
import { seedSyntheticData } from "./seed-synthetic";

export const DEMO_PASSWORD = "demo-portal-2026";

export const DEMO_ORGANISATIONS = [
  { code: "T0001", name: "Lakeside Organ Procurement", kind: "OPO", latitude: 41.8781, longitude: -87.6298 },
  { code: "T0002", name: "Riverside Organ Procurement", kind: "OPO", latitude: 39.0997, longitude: -94.5786 },
  {
    code: "C0101",
    name: "St Mary's Transplant Centre",
    kind: "TRANSPLANT_CENTER",
    latitude: 44.0225,
    longitude: -92.4699,
  },
  {
    code: "C0102",
    name: "Northgate University Hospital",
    kind: "TRANSPLANT_CENTER",
    latitude: 42.2808,
    longitude: -83.743,
  },
  {
    code: "K0001",
    name: "SwiftMed Couriers",
    kind: "COURIER_SERVICE",
    latitude: 41.9742,
    longitude: -87.9073,
  },
  {
    code: "R0001",
    name: "National Transplant Authority",
    kind: "REGULATOR",
    latitude: 38.9072,
    longitude: -77.0369,
  },
  { code: "P0000", name: "Portal Operations", kind: "PLATFORM", latitude: null, longitude: null },
] as const;

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: TRole; org: string | null }> = [
  { email: "donor@demo.test", name: "Dana Whitfield", role: "DONOR", org: null },
  { email: "opo@demo.test", name: "Omar Patel", role: "OPO_COORDINATOR", org: "T0001" },
  { email: "opo2@demo.test", name: "Rita Okafor", role: "OPO_COORDINATOR", org: "T0002" },
  { email: "center@demo.test", name: "Chen Li", role: "CENTER_COORDINATOR", org: "C0101" },
  { email: "center2@demo.test", name: "Noah Berg", role: "CENTER_COORDINATOR", org: "C0102" },
  { email: "courier@demo.test", name: "Kim Alvarez", role: "COURIER", org: "K0001" },
  { email: "regulator@demo.test", name: "Ruth Mensah", role: "REGULATOR", org: "R0001" },
  { email: "admin@demo.test", name: "Alex Admin", role: "ADMIN", org: "P0000" },
];

/** Creates the demo organisations and users (idempotent: existing rows are kept). */
export async function seedDemo(): Promise<void> {
  const orgIds = new Map<string, string>();
  for (const org of DEMO_ORGANISATIONS) {
    const row = await prisma.organisation.upsert({
      where: { code: org.code },
      update: {},
      create: { ...org },
    });
    orgIds.set(org.code, row.id);
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    await prisma.user.upsert({
      where: { email: u.email },
      update: {},
      create: {
        email: u.email,
        name: u.name,
        role: u.role,
        passwordHash,
        organisationId: u.org ? (orgIds.get(u.org) ?? null) : null,
      },
    });
  }
}

/** The demo donor's registration and first decision, so the donor workspace is not empty. */
export async function seedDemoRegistration(): Promise<void> {
  const user = await prisma.user.findUnique({
    where: { email: "donor@demo.test" },
    include: { donor: true },
  });
  if (!user || user.donor) return;
  if (!env().DATA_ENCRYPTION_KEYS) {
    console.warn("[seed] DATA_ENCRYPTION_KEYS is not set: the demo donor gets no registration");
    return;
  }
  const { donorId } = await withTransaction((tx) =>
    createDonorRecord({
      tx,
      userId: user.id,
      identity: {
        fullName: user.name,
        dateOfBirth: "1984-03-09",
        identifier: { scheme: "UK_NHS", value: "9434765919" },
        contact: { email: user.email },
      },
    }),
  );
  await recordConsent({
    donorId,
    decision: {
      kind: "FIRST_PERSON",
      decision: "DONATE_ALL",
      organs: [],
      purposes: ["TRANSPLANT", "RESEARCH"],
    },
    actor: { userId: user.id, role: "DONOR", orgId: null },
  });
}

/** The demo: organisations and users, then the synthetic waiting list and donor cases. */
export async function seedAll(): Promise<void> {
  await seedDemo();
  await seedDemoRegistration();
  await seedSyntheticData();
}

/** Seeds only a database that has no organisations yet, so a second start keeps the data as it was. */
export async function seedIfEmpty(): Promise<boolean> {
  if ((await prisma.organisation.count()) > 0) return false;
  console.log("[seed] empty database: adding demo organisations, users and data");
  await seedAll();
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seedAll()
    .then(() => prisma.$disconnect())
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
