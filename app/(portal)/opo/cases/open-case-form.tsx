"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button, Card, Field, SelectField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";

const LOCI = ["A", "B", "C", "DR", "DQ"] as const;
const ORGAN_CHOICES = [
  { key: "KIDNEY_LEFT", label: "Left kidney", type: "KIDNEY", laterality: "LEFT" },
  { key: "KIDNEY_RIGHT", label: "Right kidney", type: "KIDNEY", laterality: "RIGHT" },
  { key: "LIVER", label: "Liver", type: "LIVER", laterality: null },
  { key: "HEART", label: "Heart", type: "HEART", laterality: null },
  { key: "LUNG", label: "Lungs", type: "LUNG", laterality: "EN_BLOC" },
  { key: "PANCREAS", label: "Pancreas", type: "PANCREAS", laterality: null },
] as const;
const FLAGS = [
  ["dcd", "Donation after circulatory death (DCD)"],
  ["hypertension", "History of hypertension"],
  ["diabetes", "History of diabetes"],
  ["hbv", "HBV positive"],
  ["hcv", "HCV positive"],
  ["hiv", "HIV positive"],
] as const;

const splitAntigens = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** Opens a case: referral, the consent it rests on (receipt code), donor facts and organs to recover. */
export function OpenCaseForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const open = useMutation(
    trpc.donorCase.open.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.donorCase.list.queryKey() });
        router.push(`/opo/cases/${r.donorCaseId}`);
      },
    }),
  );
  const [f, setF] = useState({
    referralHospital: "",
    consentReceiptCode: "",
    abo: "O",
    ageYears: "",
    heightCm: "",
    weightKg: "",
    sex: "M",
    causeOfDeath: "STROKE",
    creatinineMgDl: "",
    A: "",
    B: "",
    C: "",
    DR: "",
    DQ: "",
  });
  const [flags, setFlags] = useState<Record<string, boolean>>({});
  const [organs, setOrgans] = useState<Record<string, boolean>>({ KIDNEY_LEFT: true, KIDNEY_RIGHT: true });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const errors = open.error?.data?.fieldErrors ?? {};
  const err = (k: string) => errors[k] ?? errors[`donor.${k}`];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate({
      referralHospital: f.referralHospital,
      consentReceiptCode: f.consentReceiptCode,
      donor: {
        abo: f.abo as "O",
        hla: Object.fromEntries(LOCI.map((l) => [l, splitAntigens(f[l])])) as never,
        ageYears: num(f.ageYears),
        heightCm: num(f.heightCm),
        weightKg: num(f.weightKg),
        sex: f.sex as "M",
        causeOfDeath: f.causeOfDeath as "STROKE",
        creatinineMgDl: num(f.creatinineMgDl),
        dcd: !!flags.dcd,
        hypertension: !!flags.hypertension,
        diabetes: !!flags.diabetes,
        hbv: !!flags.hbv,
        hcv: !!flags.hcv,
        hiv: !!flags.hiv,
      },
      organs: ORGAN_CHOICES.filter((o) => organs[o.key]).map((o) => ({
        type: o.type,
        laterality: o.laterality,
      })),
    });
  };
  const organErrors = Object.entries(errors).filter(([k]) => k.startsWith("organs"));

  return (
    <Card title="Open a donor case">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="Open a donor case">
        <Field
          label="Referring hospital"
          id="case-hospital"
          value={f.referralHospital}
          onChange={set("referralHospital")}
          error={err("referralHospital")}
        />
        <Field
          label="Consent receipt code"
          id="case-receipt"
          value={f.consentReceiptCode}
          onChange={set("consentReceiptCode")}
          error={err("consentReceiptCode")}
          hint="The registry decision's or family authorisation's receipt code."
        />
        <SelectField
          label="Donor blood group"
          id="case-abo"
          value={f.abo}
          onChange={set("abo")}
          options={["O", "A1", "A2", "A", "B", "A1B", "A2B", "AB"].map((a) => [a, a])}
        />
        <SelectField
          label="Sex"
          id="case-sex"
          value={f.sex}
          onChange={set("sex")}
          options={[
            ["M", "Male"],
            ["F", "Female"],
          ]}
        />
        <Field
          label="Age (years)"
          id="case-age"
          inputMode="numeric"
          value={f.ageYears}
          onChange={set("ageYears")}
          error={err("ageYears")}
        />
        <Field
          label="Height (cm)"
          id="case-height"
          inputMode="decimal"
          value={f.heightCm}
          onChange={set("heightCm")}
          error={err("heightCm")}
        />
        <Field
          label="Weight (kg)"
          id="case-weight"
          inputMode="decimal"
          value={f.weightKg}
          onChange={set("weightKg")}
          error={err("weightKg")}
        />
        <Field
          label="Creatinine (mg/dL)"
          id="case-creatinine"
          inputMode="decimal"
          value={f.creatinineMgDl}
          onChange={set("creatinineMgDl")}
          error={err("creatinineMgDl")}
        />
        <SelectField
          label="Cause of death"
          id="case-cause"
          value={f.causeOfDeath}
          onChange={set("causeOfDeath")}
          options={[
            ["STROKE", "Stroke"],
            ["HEAD_TRAUMA", "Head trauma"],
            ["ANOXIA", "Anoxia"],
            ["OTHER", "Other"],
          ]}
        />
        <fieldset className="sm:col-span-2 grid gap-3 sm:grid-cols-5">
          <legend className="mb-1 text-sm font-medium text-slate-800">HLA typing (e.g. A1, A2)</legend>
          {LOCI.map((l) => (
            <Field key={l} label={`HLA-${l}`} id={`case-hla-${l}`} value={f[l]} onChange={set(l)} />
          ))}
          {err("hla") ? <p className="text-sm text-red-700 sm:col-span-5">{err("hla")}</p> : null}
        </fieldset>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-800">Donor history and serology</legend>
          {FLAGS.map(([k, label]) => (
            <label key={k} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={!!flags[k]}
                onChange={(e) => setFlags({ ...flags, [k]: e.target.checked })}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-800">Organs to recover</legend>
          {ORGAN_CHOICES.map((o) => (
            <label key={o.key} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={!!organs[o.key]}
                onChange={(e) => setOrgans({ ...organs, [o.key]: e.target.checked })}
              />
              {o.label}
            </label>
          ))}
          {organErrors.map(([k, v]) => (
            <p key={k} className="text-sm text-red-700">
              {v}
            </p>
          ))}
        </fieldset>
        <div className="sm:col-span-2">
          <Button type="submit" disabled={open.isPending}>
            Open the case
          </Button>
        </div>
      </form>
      {open.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {open.error.message}
        </p>
      ) : null}
    </Card>
  );
}
