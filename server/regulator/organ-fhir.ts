import "server-only";

import { prisma as defaultDb } from "@/server/db";
import { toFhirAuditEvent } from "@/server/fhir/audit-event-resource";
import { LOCAL_SYSTEM_BASE } from "@/server/fhir/codes";
import { toFhirProvenance } from "@/server/fhir/provenance-resource";
import { fhirId, type TFhirResource, type TReference } from "@/server/fhir/types";
import { validateFhirResource } from "@/server/fhir/validate-resource";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { getOrganProvenance } from "./organ-provenance";

const SYSTEMS = {
  ledgerSubject: `${LOCAL_SYSTEM_BASE}/NamingSystem/ledger-subject`,
  ledgerEventType: `${LOCAL_SYSTEM_BASE}/CodeSystem/ledger-event-type`,
  staffUser: `${LOCAL_SYSTEM_BASE}/NamingSystem/staff-user`,
  organisation: `${LOCAL_SYSTEM_BASE}/NamingSystem/organisation`,
  din: "urn:oid:2.16.840.1.113883.6.18.2.6", // ISBT 128 Donation Identification Number
} as const;

const ORGAN_DISPLAY: Record<string, string> = {
  KIDNEY: "Kidney",
  LIVER: "Liver",
  HEART: "Heart",
  LUNG: "Lung",
  PANCREAS: "Pancreas",
  INTESTINE: "Intestine",
};

type TEventRow = {
  id: string;
  subjectType: string;
  subjectId: string;
  type: string;
  actorUserId: string | null;
  actorRole: string | null;
  actorOrgId: string | null;
  serverTime: Date;
  reportedTime: Date | null;
  payload: unknown;
  hash: string;
};

/** Creating a record, or changing one that exists (custody steps, answers, revocations). */
const activityOf = (type: string): "CREATE" | "UPDATE" =>
  type === "custody.recorded" || type === "offer.answered" || type.endsWith(".revoked") ? "UPDATE" : "CREATE";

/** The record an event was filed under, as a logical reference; a donor's chain is named by the consent version, never the person. */
function subjectReference(e: TEventRow): TReference | null {
  if (e.subjectType === "organ") return null;
  if (e.subjectType === "donor") {
    const id = (e.payload as { consentVersionId?: unknown }).consentVersionId;
    return typeof id === "string"
      ? { type: "Consent", identifier: { system: SYSTEMS.ledgerSubject, value: `consent_version/${id}` } }
      : null;
  }
  return { identifier: { system: SYSTEMS.ledgerSubject, value: `${e.subjectType}/${e.subjectId}` } };
}

/** The actor without identity for registrants (their account id would identify them); staff by user id and role. */
function actorReference(e: TEventRow): TReference {
  if (e.actorRole === "DONOR") return { display: "Registrant" };
  if (!e.actorUserId) return { display: e.actorRole ? `System (${e.actorRole})` : "System" };
  return {
    type: "Practitioner",
    identifier: { system: SYSTEMS.staffUser, value: e.actorUserId },
    display: e.actorRole ?? "staff",
  };
}

/**
 * An organ's history as a FHIR R4 Bundle (type collection) for regulators: the organ as a
 * BiologicallyDerivedProduct (type and DIN only), then for every ledger event of its provenance
 * (consent relied on, donor case, match runs, offers, custody, outcome) a Provenance (target, agent
 * on behalf of the organisation, recorded = server time, ledger event id and hash) and an
 * AuditEvent. No identity, no clinical details, no free text: reasons, locations and readings stay
 * out. Every resource and the bundle are validated against the R4 schema before they leave.
 */
export async function exportOrganFhir({
  organId,
  db = defaultDb,
  now = new Date(),
}: {
  organId: string;
  db?: PrismaClient;
  now?: Date;
}): Promise<TFhirResource> {
  const provenance = await getOrganProvenance({ organId, registry: null, db });
  const ids = provenance.steps.map((s) => s.eventId);
  const rows = (await db.ledgerEvent.findMany({
    where: { id: { in: ids } },
    orderBy: { position: "asc" },
    select: {
      id: true,
      subjectType: true,
      subjectId: true,
      type: true,
      actorUserId: true,
      actorRole: true,
      actorOrgId: true,
      serverTime: true,
      reportedTime: true,
      payload: true,
      hash: true,
    },
  })) as TEventRow[];
  const orgIds = [...new Set(rows.flatMap((r) => (r.actorOrgId ? [r.actorOrgId] : [])))];
  const orgs = await db.organisation.findMany({
    where: { id: { in: orgIds } },
    select: { id: true, name: true },
  });
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));

  const { organ } = provenance;
  const product: TFhirResource = {
    resourceType: "BiologicallyDerivedProduct",
    id: fhirId(organ.id),
    identifier: [{ system: SYSTEMS.din, value: organ.din }],
    productCategory: "organ",
    productCode: { text: ORGAN_DISPLAY[organ.type] ?? organ.type },
    status: organ.status === "DISCARDED" || organ.status === "TRANSPLANTED" ? "unavailable" : "available",
  };
  const organRef: TReference = { reference: `BiologicallyDerivedProduct/${fhirId(organ.id)}` };

  const resources: TFhirResource[] = [product];
  for (const e of rows) {
    const targets = [organRef, ...[subjectReference(e)].filter((r): r is TReference => r !== null)];
    const actor = actorReference(e);
    const onBehalfOf: TReference | undefined =
      e.actorOrgId && e.actorRole !== "DONOR"
        ? {
            type: "Organization",
            identifier: { system: SYSTEMS.organisation, value: e.actorOrgId },
            ...(orgName.get(e.actorOrgId) ? { display: orgName.get(e.actorOrgId) } : {}),
          }
        : undefined;
    const activity = activityOf(e.type);
    resources.push(
      toFhirProvenance({
        id: e.id,
        targets,
        recorded: e.serverTime,
        ...(e.reportedTime && e.reportedTime.getTime() !== e.serverTime.getTime()
          ? { occurredAt: e.reportedTime }
          : {}),
        activity,
        actor,
        ...(onBehalfOf ? { onBehalfOf } : {}),
        ledger: { eventId: e.id, hash: e.hash },
      }),
    );
    resources.push({
      ...toFhirAuditEvent({
        id: e.id,
        action: activity === "CREATE" ? "C" : "U",
        recorded: e.serverTime,
        actor,
        ...(onBehalfOf ? { onBehalfOf } : {}),
        records: targets,
      }),
      // A ledger event of the organ's journey, not a read of a patient record (DICOM 110110).
      type: { system: SYSTEMS.ledgerEventType, code: e.type, display: e.type.replace(/[._]/g, " ") },
    });
  }

  const bundle: TFhirResource = {
    resourceType: "Bundle",
    id: fhirId(`organ-${organ.id}`),
    type: "collection",
    timestamp: now.toISOString(),
    entry: resources.map((resource) => ({
      fullUrl: `${LOCAL_SYSTEM_BASE}/${resource.resourceType}/${resource.id}`,
      resource,
    })),
  };
  const issues = [...resources, bundle].flatMap((r) =>
    validateFhirResource(r).map((i) => `${r.resourceType}/${r.id} ${i.path} ${i.message}`),
  );
  if (issues.length > 0) throw new Error(`FHIR organ export failed validation: ${issues.join("; ")}`);
  return bundle;
}
