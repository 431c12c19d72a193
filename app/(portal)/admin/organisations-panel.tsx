"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ModalDialog } from "@/app/_components/modal-dialog";
import { Button, Card, Field, SelectField, SubmitRow } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";

export const KIND_LABEL: Record<string, string> = {
  OPO: "Organ procurement organisation",
  TRANSPLANT_CENTER: "Transplant centre",
  COURIER_SERVICE: "Courier service",
  REGULATOR: "Regulator",
  PLATFORM: "Portal operations",
};

const num = (s: string) => (s.trim() === "" ? null : Number(s));

/** The organisations, a form to add one, and renaming. */
export function OrganisationsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgs = useQuery(trpc.admin.listOrganisations.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.listOrganisations.queryKey() });
  const create = useMutation(trpc.admin.createOrganisation.mutationOptions({ onSuccess: refresh }));
  const [form, setForm] = useState({
    code: "",
    name: "",
    kind: "TRANSPLANT_CENTER",
    latitude: "",
    longitude: "",
  });
  const errors = create.error?.data?.fieldErrors ?? {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        code: form.code,
        name: form.name,
        kind: form.kind as "OPO",
        latitude: num(form.latitude),
        longitude: num(form.longitude),
      },
      { onSuccess: () => setForm({ ...form, code: "", name: "", latitude: "", longitude: "" }) },
    );
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <div className="space-y-6">
      <Card title="Organisations">
        {orgs.isPending ? <p>Loading organisations…</p> : null}
        {orgs.error ? <p role="alert">{orgs.error.message}</p> : null}
        <ul className="divide-y divide-slate-100" data-testid="organisations">
          {orgs.data?.map((o) => (
            <li
              key={o.id}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
              data-testid="organisation"
            >
              <div className="min-w-0">
                <p className="font-medium">{o.name}</p>
                <p className="text-sm text-slate-600">
                  <span className="font-mono">{o.code}</span> · {KIND_LABEL[o.kind] ?? o.kind}
                </p>
              </div>
              <RenameOrganisation id={o.id} name={o.name} onDone={refresh} />
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Add an organisation">
        <form
          onSubmit={submit}
          className="grid gap-3 sm:grid-cols-2"
          noValidate
          aria-label="Add an organisation"
        >
          <Field
            id="org-code"
            label="Facility code"
            hint="5 letters or digits, as on ISBT 128 labels"
            value={form.code}
            onChange={set("code")}
            error={errors.code}
          />
          <Field id="org-name" label="Name" value={form.name} onChange={set("name")} error={errors.name} />
          <SelectField
            id="org-kind"
            label="Kind"
            value={form.kind}
            onChange={set("kind")}
            options={Object.entries(KIND_LABEL) as Array<[string, string]>}
          />
          <div className="grid grid-cols-2 gap-3">
            <Field
              id="org-lat"
              label="Latitude"
              type="number"
              step="any"
              value={form.latitude}
              onChange={set("latitude")}
              error={errors.latitude}
            />
            <Field
              id="org-lon"
              label="Longitude"
              type="number"
              step="any"
              value={form.longitude}
              onChange={set("longitude")}
              error={errors.longitude}
            />
          </div>
          <SubmitRow
            label="Add the organisation"
            pending={create.isPending}
            error={Object.keys(errors).length ? null : create.error}
            done={create.isSuccess ? "Organisation added." : null}
          />
        </form>
      </Card>
    </div>
  );
}

function RenameOrganisation({ id, name, onDone }: { id: string; name: string; onDone: () => unknown }) {
  const trpc = useTRPC();
  const rename = useMutation(trpc.admin.updateOrganisation.mutationOptions({ onSuccess: onDone }));
  const [value, setValue] = useState(name);
  return (
    <ModalDialog
      title={`Rename ${name}`}
      trigger={
        <button type="button" className="text-sm text-brand-700 underline">
          Rename<span className="sr-only"> {name}</span>
        </button>
      }
    >
      {(close) => (
        <form
          className="space-y-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate({ organisationId: id, name: value }, { onSuccess: close });
          }}
        >
          <Field
            id={`rename-${id}`}
            label="New name"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            error={rename.error?.data?.fieldErrors?.name ?? rename.error?.message}
          />
          <Button type="submit" disabled={rename.isPending}>
            Save the name
          </Button>
        </form>
      )}
    </ModalDialog>
  );
}
