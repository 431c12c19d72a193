import { z } from "zod";
import { inDeclaredOrder, ORGANS, PURPOSES, ZOrganSchema, ZPurposeSchema } from "./organs";

export const CONSENT_KINDS = ["FIRST_PERSON", "FAMILY_AUTHORISATION"] as const;
export const CONSENT_DECISIONS = ["DONATE_ALL", "DONATE_SELECTED", "OBJECTION"] as const;
export const MAX_RESTRICTIONS_LENGTH = 1000;

/** Who may authorise for someone who left no decision, in the usual order of priority (UAGA §9). */
export const RELATIONSHIPS = [
  "HEALTH_CARE_AGENT",
  "SPOUSE",
  "DOMESTIC_PARTNER",
  "ADULT_CHILD",
  "PARENT",
  "ADULT_SIBLING",
  "ADULT_GRANDCHILD",
  "GRANDPARENT",
  "GUARDIAN",
  "OTHER",
] as const;

const personName = (what: string) =>
  z
    .string({ error: `enter the ${what}` })
    .trim()
    .min(1, `enter the ${what}`)
    .max(200, `the ${what} is too long (200 characters at most)`);

export const ZAuthorisedBySchema = z.object({
  name: personName("name of the person authorising"),
  relationship: z.enum(RELATIONSHIPS, { error: `choose one of ${RELATIONSHIPS.join(", ")}` }),
  witness: personName("witness's name"),
});

/**
 * A consent decision. Output is canonical (organs and purposes deduplicated, in declared order,
 * empty lists where the decision has none), so the same choice always commits to the same bytes.
 */
export const ZConsentDecisionSchema = z
  .object({
    kind: z.enum(CONSENT_KINDS, { error: `choose one of ${CONSENT_KINDS.join(", ")}` }),
    decision: z.enum(CONSENT_DECISIONS, { error: `choose one of ${CONSENT_DECISIONS.join(", ")}` }),
    organs: z.array(ZOrganSchema, { error: "must be a list of organs" }).default([]),
    purposes: z.array(ZPurposeSchema, { error: "must be a list of purposes" }).default([]),
    restrictions: z
      .string()
      .trim()
      .max(
        MAX_RESTRICTIONS_LENGTH,
        `restrictions are too long (${MAX_RESTRICTIONS_LENGTH} characters at most)`,
      )
      .optional()
      .transform((v) => (v === "" ? undefined : v)),
    authorisedBy: ZAuthorisedBySchema.optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (c.decision === "DONATE_SELECTED" && c.organs.length === 0) {
      issue("organs", "choose at least one organ or tissue to donate");
    }
    if (c.decision === "DONATE_ALL" && c.organs.length > 0) {
      issue("organs", "leave the organ list empty when donating all organs and tissues");
    }
    if (c.decision === "OBJECTION") {
      if (c.organs.length > 0) issue("organs", "an objection covers no organs; leave the list empty");
      if (c.purposes.length > 0) issue("purposes", "an objection has no purposes; leave the list empty");
    } else if (c.purposes.length === 0) {
      issue("purposes", "choose at least one purpose (transplant, research, education)");
    }
    if (c.kind === "FAMILY_AUTHORISATION" && !c.authorisedBy) {
      issue(
        "authorisedBy",
        "a family authorisation needs who authorised it, their relationship and a witness",
      );
    }
    if (c.kind === "FIRST_PERSON" && c.authorisedBy) {
      issue("authorisedBy", "a first-person decision is made by the donor; leave authorised-by empty");
    }
  })
  .transform((c) => ({
    kind: c.kind,
    decision: c.decision,
    organs: inDeclaredOrder(ORGANS, c.organs),
    purposes: inDeclaredOrder(PURPOSES, c.purposes),
    ...(c.restrictions === undefined ? {} : { restrictions: c.restrictions }),
    ...(c.authorisedBy === undefined ? {} : { authorisedBy: c.authorisedBy }),
  }));

export type TConsentDecisionInput = z.input<typeof ZConsentDecisionSchema>;
export type TConsentDecision = z.output<typeof ZConsentDecisionSchema>;
