import { describe, expect, it } from "vitest";
import { suggestedStepKind } from "./custody-steps";

describe("suggestedStepKind", () => {
  it.each([
    { desc: "OPO, no step yet", role: "OPO_COORDINATOR", phase: null, held: false, want: "CROSS_CLAMP" },
    {
      desc: "OPO after cross-clamp",
      role: "OPO_COORDINATOR",
      phase: "CLAMPED",
      held: true,
      want: "RECOVERED",
    },
    { desc: "OPO after recovery", role: "OPO_COORDINATOR", phase: "RECOVERED", held: true, want: "PACKAGED" },
    {
      desc: "OPO, packaged",
      role: "OPO_COORDINATOR",
      phase: "PACKAGED",
      held: true,
      want: "HANDOFF_OFFERED",
    },
    {
      desc: "courier receiving",
      role: "COURIER",
      phase: "HANDOFF_PENDING",
      held: false,
      want: "HANDOFF_ACCEPTED",
    },
    { desc: "courier in transit", role: "COURIER", phase: "IN_TRANSIT", held: true, want: "CHECKPOINT" },
    {
      desc: "centre receiving from courier",
      role: "CENTER_COORDINATOR",
      phase: "HANDOFF_PENDING",
      held: false,
      want: "HANDOFF_ACCEPTED",
    },
    {
      desc: "centre holding in transit",
      role: "CENTER_COORDINATOR",
      phase: "IN_TRANSIT",
      held: true,
      want: "ARRIVED",
    },
    {
      desc: "centre, arrived",
      role: "CENTER_COORDINATOR",
      phase: "ARRIVED",
      held: true,
      want: "TRANSPLANTED",
    },
    // A step the role does not record falls back to the role's first step.
    { desc: "courier, no step yet", role: "COURIER", phase: null, held: false, want: "CHECKPOINT" },
  ] as const)("$desc → $want", ({ role, phase, held, want }) => {
    expect(suggestedStepKind({ role, phase, heldByYou: held })).toBe(want);
  });

  it("never suggests Receipt of hand-off to an OPO opening a fresh organ", () => {
    expect(
      suggestedStepKind({ role: "OPO_COORDINATOR", phase: "AWAITING_RECOVERY", heldByYou: false }),
    ).not.toBe("HANDOFF_ACCEPTED");
  });
});
