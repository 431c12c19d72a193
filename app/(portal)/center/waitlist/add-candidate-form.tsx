"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button, Card, Field, SelectField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { ORGAN_TYPES } from "@/server/matching/organ-type";

const LOCI = ["A", "B", "C", "DR", "DQ"] as const;
const split = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** Lists a candidate; the server checks HLA names, labs and ranges and names each bad field. */
export function AddCandidateForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const add = useMutation(
    trpc.waitlist.add.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.waitlist.list.queryKey() }),
    }),
  );
  const [f, setF] = useState<Record<string, string>>({
    organ: "KIDNEY",
    abo: "O",
    sex: "F",
    cpra: "0",
    A: "",
    B: "",
    C: "",
    DR: "",
    DQ: "",
    unacceptable: "",
    listedAt: "",
    dialysisStartedAt: "",
    dateOfBirth: "",
    heightCm: "",
    weightKg: "",
    bilirubinMgDl: "",
    sodiumMmolL: "",
    inr: "",
    creatinineMgDl: "",
    albuminGDl: "",
    heartStatus: "",
    lungUrgency: "",
    priorTransplants: "0",
  });
  const [diabetes, setDiabetes] = useState(false);
  const [highUrgency, setHighUrgency] = useState(false);
  const [priorLivingDonor, setPriorLivingDonor] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const errors = add.error?.data?.fieldErrors ?? {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const organ = f.organ as "KIDNEY";
    add.mutate({
      organ,
      abo: f.abo as "O",
      hla: Object.fromEntries(LOCI.map((l) => [l, split(f[l] ?? "")])) as never,
      unacceptable: split(f.unacceptable ?? ""),
      cpra: num(f.cpra ?? ""),
      listedAt: f.listedAt ?? "",
      dialysisStartedAt: f.dialysisStartedAt || null,
      dateOfBirth: f.dateOfBirth ?? "",
      sex: f.sex as "F",
      heightCm: num(f.heightCm ?? ""),
      weightKg: num(f.weightKg ?? ""),
      diabetes,
      priorLivingDonor,
      priorTransplants: num(f.priorTransplants ?? ""),
      urgency: {
        highUrgency,
        ...((organ as string) === "LIVER"
          ? {
              liver: {
                bilirubinMgDl: num(f.bilirubinMgDl ?? ""),
                sodiumMmolL: num(f.sodiumMmolL ?? ""),
                inr: num(f.inr ?? ""),
                creatinineMgDl: num(f.creatinineMgDl ?? ""),
                albuminGDl: num(f.albuminGDl ?? ""),
                dialysisTwiceInPastWeek: false,
              },
            }
          : {}),
        ...((organ as string) === "HEART" && f.heartStatus ? { heartStatus: num(f.heartStatus) } : {}),
        ...((organ as string) === "LUNG" && f.lungUrgency ? { lungUrgency: num(f.lungUrgency) } : {}),
      },
    });
  };
  const field = (k: string, label: string, hint?: string) => (
    <Field
      key={k}
      label={label}
      id={`cand-${k}`}
      value={f[k] ?? ""}
      onChange={set(k)}
      error={errors[k] ?? errors[`urgency.liver.${k}`]}
      hint={hint}
    />
  );
  return (
    <Card title="Add a candidate">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-3" noValidate aria-label="Add a candidate">
        <SelectField
          label="Organ needed"
          id="cand-organ"
          value={f.organ}
          onChange={set("organ")}
          options={ORGAN_TYPES.map((o) => [o, o.toLowerCase()])}
        />
        <SelectField
          label="Blood group"
          id="cand-abo"
          value={f.abo}
          onChange={set("abo")}
          options={["O", "A", "B", "AB"].map((a) => [a, a])}
        />
        <SelectField
          label="Sex"
          id="cand-sex"
          value={f.sex}
          onChange={set("sex")}
          options={[
            ["F", "Female"],
            ["M", "Male"],
          ]}
        />
        {LOCI.map((l) => field(l, `HLA-${l}`))}
        {field("unacceptable", "Unacceptable antigens", "Comma-separated, e.g. A2, B44")}
        {errors.hla ? <p className="text-sm text-red-700 sm:col-span-3">{errors.hla}</p> : null}
        {errors.unacceptable ? (
          <p className="text-sm text-red-700 sm:col-span-3">{errors.unacceptable}</p>
        ) : null}
        {field("cpra", "cPRA (%)")}
        {field("dateOfBirth", "Date of birth", "YYYY-MM-DD")}
        {field("listedAt", "Listed on", "YYYY-MM-DD")}
        {field("dialysisStartedAt", "Dialysis started", "YYYY-MM-DD, if on dialysis")}
        {field("heightCm", "Height (cm)")}
        {field("weightKg", "Weight (kg)")}
        {field("priorTransplants", "Prior transplants")}
        {f.organ === "LIVER" ? (
          <>
            {field("bilirubinMgDl", "Bilirubin (mg/dL)")}
            {field("sodiumMmolL", "Sodium (mmol/L)")}
            {field("inr", "INR")}
            {field("creatinineMgDl", "Creatinine (mg/dL)")}
            {field("albuminGDl", "Albumin (g/dL)")}
            {errors["urgency.liver"] ? (
              <p className="text-sm text-red-700">{errors["urgency.liver"]}</p>
            ) : null}
          </>
        ) : null}
        {f.organ === "HEART" ? field("heartStatus", "Heart status (1–6)") : null}
        {f.organ === "LUNG" ? field("lungUrgency", "Lung urgency (0–100)") : null}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={diabetes} onChange={(e) => setDiabetes(e.target.checked)} />{" "}
          Diabetes
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={highUrgency} onChange={(e) => setHighUrgency(e.target.checked)} />
          High urgency (status 1A / HU)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={priorLivingDonor}
            onChange={(e) => setPriorLivingDonor(e.target.checked)}
          />
          Was a living donor
        </label>
        <div className="sm:col-span-3">
          <Button type="submit" disabled={add.isPending}>
            Add to the waiting list
          </Button>
        </div>
      </form>
      {add.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {add.error.message}
        </p>
      ) : null}
      {add.data ? (
        <p role="status" className="mt-3 text-sm">
          Listed as <span className="font-mono">{add.data.code}</span>.
        </p>
      ) : null}
    </Card>
  );
}
