import { afterAll, beforeAll } from "vitest";
import type { OrganisationKind } from "@/server/generated/prisma/client";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { usePortalOnIsolatedDatabase } from "./isolated-db";

export type TIsolatedPortal = Awaited<ReturnType<typeof usePortalOnIsolatedDatabase>>;

/**
 * A test file's own schema (`usePortalOnIsolatedDatabase`: rankings read the whole waiting list, so
 * they see only this file's candidates) and one organisation with its user for each kind asked for,
 * in that order, handed to `take` before the file's tests run. The schema is dropped after them.
 */
export function setUpIsolatedStaff<const K extends readonly OrganisationKind[]>(
  prefix: string,
  kinds: K,
  take: (staff: { -readonly [I in keyof K]: TStaff }, iso: TIsolatedPortal) => void,
) {
  let iso: TIsolatedPortal | null = null;
  beforeAll(async () => {
    iso = await usePortalOnIsolatedDatabase(prefix);
    const staff = await Promise.all(kinds.map((kind) => createStaff({ kind })));
    take(staff as { -readonly [I in keyof K]: TStaff }, iso);
  }, 120_000);
  afterAll(async () => {
    await iso?.drop();
  });
}
