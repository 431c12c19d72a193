import type { TConsentVersionView } from "@/server/consent/consent-history";
import type { TIdentifier } from "@/server/consent/identifiers";
import type { ORGANS } from "@/server/consent/organs";
import {
  IDENTIFIER_SYSTEMS,
  LOCAL_CODE_SYSTEMS,
  LOCAL_SYSTEM_BASE,
  ORGAN_CODES,
  PURPOSE_DISPLAY,
  SNOMED,
} from "./codes";
import { fhirId, type TCodeableConcept, type TExtension, type TFhirResource, type TReference } from "./types";

export const DEFAULT_CONSENT_POLICY_URI = `${LOCAL_SYSTEM_BASE}/policy/organ-donation-consent/v1`;

/** v3 RoleCode for each relationship a family authoriser may have (OTHER has no code, only text). */
const ROLE_CODES: Record<string, { code: string; display: string } | undefined> = {
  HEALTH_CARE_AGENT: { code: "HPOWATT", display: "healthcare power of attorney" },
  SPOUSE: { code: "SPS", display: "spouse" },
  DOMESTIC_PARTNER: { code: "DOMPART", display: "domestic partner" },
  ADULT_CHILD: { code: "CHILD", display: "child" },
  PARENT: { code: "PRN", display: "parent" },
  ADULT_SIBLING: { code: "SIB", display: "sibling" },
  ADULT_GRANDCHILD: { code: "GRNDCHILD", display: "grandchild" },
  GRANDPARENT: { code: "GRPRN", display: "grandparent" },
  GUARDIAN: { code: "GUARD", display: "guardian" },
};

export type TConsentExportOptions = {
  version: TConsentVersionView;
  /** Pseudonymous id of the registrant; becomes `Patient/<id>`. */
  subjectId: string;
  /** Identity of the registrant and the family authoriser's names: only when policy allows it. */
  identity?: { fullName: string; identifier: TIdentifier };
  /** The on-chain commitment to this version, so a receiver can check it against the chain. */
  commitment?: string;
  policyUri?: string;
};

function organConcept(organ: (typeof ORGANS)[number]): TCodeableConcept {
  const { display, snomed } = ORGAN_CODES[organ];
  return {
    coding: [
      { system: LOCAL_CODE_SYSTEMS.organ, code: organ, display },
      ...(snomed ? [{ system: SNOMED, code: snomed.code, display: snomed.display }] : []),
    ],
    text: display,
  };
}

/**
 * One consent version as an HL7 FHIR R4 `Consent`.
 * - status: the version in force is `active`; superseded and revoked versions are `inactive`.
 *   An objection in force is `active` with a `deny` provision: it is a decision to enforce, and
 *   receivers look for active consents (R4 `rejected` means the consent document itself was refused).
 * - provision: `permit` for all organs (no code: applies to everything) or the chosen organs as
 *   codes; `deny` for an objection; purposes as codings; the period ends when the version ended.
 * - patient: a reference only; name and identifier only when `identity` is given.
 */
export function toFhirConsent(options: TConsentExportOptions): TFhirResource {
  const { version, subjectId, identity, commitment } = options;
  const { decision } = version;
  const patient: TReference = { reference: `Patient/${fhirId(subjectId)}` };
  if (identity) {
    patient.display = identity.fullName;
    patient.identifier = {
      system: IDENTIFIER_SYSTEMS[identity.identifier.scheme],
      value: identity.identifier.value,
    };
  }

  const extension: TExtension[] = [];
  if (decision.restrictions) {
    extension.push({ url: LOCAL_CODE_SYSTEMS.restrictionsExtension, valueString: decision.restrictions });
  }
  if (commitment) extension.push({ url: LOCAL_CODE_SYSTEMS.commitmentExtension, valueString: commitment });

  const contained: TFhirResource[] = [];
  let performer: TReference[] = [patient];
  if (decision.kind === "FAMILY_AUTHORISATION" && decision.authorisedBy) {
    const { name, relationship, witness } = decision.authorisedBy;
    const role = ROLE_CODES[relationship];
    contained.push({
      resourceType: "RelatedPerson",
      id: "authoriser",
      patient: { reference: patient.reference },
      relationship: [
        role
          ? { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode", ...role }] }
          : { text: relationship.toLowerCase().replace(/_/g, " ") },
      ],
      ...(identity ? { name: [{ text: name }] } : {}),
    });
    performer = [{ reference: "#authoriser", type: "RelatedPerson" }];
    if (identity) extension.push({ url: LOCAL_CODE_SYSTEMS.witnessExtension, valueString: witness });
  }

  const period = {
    start: version.at.toISOString(),
    ...(version.endedAt ? { end: version.endedAt.toISOString() } : {}),
  };
  const provision =
    decision.decision === "OBJECTION"
      ? { type: "deny", period }
      : {
          type: "permit",
          period,
          purpose: decision.purposes.map((p) => ({
            system: LOCAL_CODE_SYSTEMS.purpose,
            code: p,
            display: PURPOSE_DISPLAY[p],
          })),
          ...(decision.decision === "DONATE_SELECTED" ? { code: decision.organs.map(organConcept) } : {}),
        };

  return {
    resourceType: "Consent",
    id: fhirId(`${version.receiptCode}-v${version.version}`),
    meta: { versionId: String(version.version), lastUpdated: (version.endedAt ?? version.at).toISOString() },
    ...(contained.length ? { contained } : {}),
    ...(extension.length ? { extension } : {}),
    identifier: [{ system: LOCAL_CODE_SYSTEMS.receiptCode, value: version.receiptCode }],
    status: version.status === "IN_FORCE" ? "active" : "inactive",
    scope: {
      coding: [
        {
          system: "http://terminology.hl7.org/CodeSystem/consentscope",
          code: "patient-privacy",
          display: "Privacy Consent",
        },
      ],
    },
    category: [
      {
        coding: [
          { system: "http://loinc.org", code: "59284-0", display: "Patient Consent" },
          {
            system: LOCAL_CODE_SYSTEMS.consentCategory,
            code: "organ-tissue-donation",
            display: "Organ and tissue donation",
          },
        ],
      },
      {
        coding: [
          {
            system: LOCAL_CODE_SYSTEMS.consentCategory,
            code: decision.kind === "FIRST_PERSON" ? "first-person" : "family-authorisation",
            display: decision.kind === "FIRST_PERSON" ? "First-person decision" : "Family authorisation",
          },
        ],
      },
    ],
    patient,
    dateTime: version.at.toISOString(),
    performer,
    policy: [{ uri: options.policyUri ?? DEFAULT_CONSENT_POLICY_URI }],
    provision,
  };
}
