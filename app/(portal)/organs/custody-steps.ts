import type { TRole } from "@/server/auth/roles";

/**
 * The custody steps each role records from the portal, and the form fields of each. The server
 * (state machine and role rules) has the last word; this only decides what the forms offer.
 */
export type TStepField = {
  name: string;
  label: string;
  type?: "text" | "number" | "datetime-local" | "email" | "select";
  /** For a select: [value, label] pairs; the first, empty, leaves the field out. */
  options?: ReadonlyArray<readonly [string, string]>;
  hint?: string;
  /** How the text input becomes a details value. */
  as?: "number" | "date" | "text";
};

export type TStep = { kind: string; label: string; fields: TStepField[] };

const location: TStepField = { name: "location", label: "Location", hint: "Where the organ is now" };
const temperature: TStepField = {
  name: "temperatureC",
  label: "Temperature (°C)",
  type: "number",
  as: "number",
  hint: "Static cold storage is about 2–8 °C",
};
const preservation: TStepField = {
  name: "preservation",
  label: "Preservation",
  type: "select",
  hint: "Its temperature range applies to the readings; say when it changes",
  options: [
    ["", "Unchanged (static cold storage unless said otherwise)"],
    ["STATIC_COLD", "Static cold storage"],
    ["HYPOTHERMIC_MACHINE_PERFUSION", "Hypothermic machine perfusion"],
    ["NORMOTHERMIC_MACHINE_PERFUSION", "Normothermic machine perfusion"],
  ],
};
const device: TStepField = { name: "deviceReading", label: "Perfusion device reading (optional)" };
const eta: TStepField = {
  name: "etaAt",
  label: "Estimated arrival (optional)",
  type: "datetime-local",
  as: "date",
};
const receiver: TStepField = {
  name: "toEmail",
  label: "Hand over to (e-mail of the receiver)",
  type: "email",
  hint: "The receiver confirms by scanning the label",
};
const withdrawal: TStepField = {
  name: "warmIschemiaStartedAt",
  label: "Withdrawal of life support (DCD donors only)",
  type: "datetime-local",
  as: "date",
  hint: "Starts the warm ischemia time for donation after circulatory death",
};
const reason: TStepField = { name: "reason", label: "Reason for discard" };
const returnReason: TStepField = { name: "reason", label: "Reason for return" };
const declineReason: TStepField = { name: "reason", label: "Reason for declining" };

export const STEPS = {
  CROSS_CLAMP: { kind: "CROSS_CLAMP", label: "Cross-clamp", fields: [location, withdrawal] },
  RECOVERED: { kind: "RECOVERED", label: "Recovery", fields: [location] },
  PACKAGED: {
    kind: "PACKAGED",
    label: "Packaging and labelling",
    fields: [location, preservation, temperature, device],
  },
  HANDOFF_OFFERED: { kind: "HANDOFF_OFFERED", label: "Hand-off", fields: [receiver, location, temperature] },
  HANDOFF_ACCEPTED: {
    kind: "HANDOFF_ACCEPTED",
    label: "Receipt of hand-off",
    fields: [location, temperature],
  },
  CHECKPOINT: {
    kind: "CHECKPOINT",
    label: "Checkpoint",
    fields: [location, preservation, temperature, device, eta],
  },
  ARRIVED: { kind: "ARRIVED", label: "Arrival", fields: [location, temperature] },
  TRANSPLANTED: { kind: "TRANSPLANTED", label: "Transplant (reperfusion)", fields: [] },
  HANDOFF_DECLINED: { kind: "HANDOFF_DECLINED", label: "Decline of hand-off", fields: [declineReason] },
  DISCARDED: { kind: "DISCARDED", label: "Discard", fields: [reason] },
  RETURNED: { kind: "RETURNED", label: "Return for re-allocation", fields: [returnReason] },
} satisfies Record<string, TStep>;

export const STEPS_FOR_ROLE: Partial<Record<TRole, TStep[]>> = {
  OPO_COORDINATOR: [
    STEPS.CROSS_CLAMP,
    STEPS.RECOVERED,
    STEPS.PACKAGED,
    STEPS.HANDOFF_OFFERED,
    STEPS.CHECKPOINT,
    STEPS.HANDOFF_ACCEPTED,
    STEPS.DISCARDED,
    STEPS.RETURNED,
  ],
  COURIER: [
    STEPS.CHECKPOINT,
    STEPS.HANDOFF_OFFERED,
    STEPS.HANDOFF_ACCEPTED,
    STEPS.HANDOFF_DECLINED,
    STEPS.DISCARDED,
  ],
  CENTER_COORDINATOR: [
    STEPS.HANDOFF_ACCEPTED,
    STEPS.HANDOFF_DECLINED,
    STEPS.ARRIVED,
    STEPS.TRANSPLANTED,
    STEPS.HANDOFF_OFFERED,
    STEPS.DISCARDED,
    STEPS.RETURNED,
  ],
};

/** Turns the form's text values into the step's details (empty fields are left out). */
export function stepDetails(step: TStep, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of step.fields) {
    const raw = values[f.name]?.trim();
    if (!raw) continue;
    if (f.as === "number") out[f.name] = Number(raw);
    else if (f.as === "date") out[f.name] = new Date(raw).toISOString();
    else out[f.name] = raw;
  }
  return out;
}

/** The step that usually comes next from each custody phase, for whoever holds (or will hold) it. */
const NEXT_STEP: Record<string, { held: string; notHeld: string }> = {
  AWAITING_RECOVERY: { held: "CROSS_CLAMP", notHeld: "CROSS_CLAMP" },
  CLAMPED: { held: "RECOVERED", notHeld: "RECOVERED" },
  RECOVERED: { held: "PACKAGED", notHeld: "PACKAGED" },
  PACKAGED: { held: "HANDOFF_OFFERED", notHeld: "HANDOFF_OFFERED" },
  // Held: you offered the hand-off and wait; not held: you are probably the receiver.
  HANDOFF_PENDING: { held: "CHECKPOINT", notHeld: "HANDOFF_ACCEPTED" },
  IN_TRANSIT: { held: "CHECKPOINT", notHeld: "HANDOFF_ACCEPTED" },
  ARRIVED: { held: "TRANSPLANTED", notHeld: "TRANSPLANTED" },
  RETURNED: { held: "HANDOFF_OFFERED", notHeld: "HANDOFF_OFFERED" },
};

/**
 * The step a form should start on after a label is scanned: the one that usually follows the
 * organ's custody phase (no step yet means cross-clamp), among the steps the role records. A
 * centre receiving an organ in transit starts on arrival. Only a default: every step stays offered.
 */
export function suggestedStepKind(opts: { role: TRole; phase: string | null; heldByYou: boolean }): string {
  const steps = STEPS_FOR_ROLE[opts.role] ?? [];
  const phase = opts.phase ?? "AWAITING_RECOVERY";
  let kind = NEXT_STEP[phase]?.[opts.heldByYou ? "held" : "notHeld"];
  if (opts.role === "CENTER_COORDINATOR" && phase === "IN_TRANSIT" && opts.heldByYou) kind = "ARRIVED";
  return steps.find((s) => s.kind === kind)?.kind ?? steps[0]?.kind ?? "";
}
