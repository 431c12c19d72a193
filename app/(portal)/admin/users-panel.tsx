"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Lock, UserX } from "lucide-react";
import { type FormEvent, useState } from "react";
import { ModalDialog } from "@/app/_components/modal-dialog";
import { Button, Card, Field, SelectField, SubmitRow } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { DEACTIVATION_REASONS } from "@/server/admin/admin-schemas";
import { ROLE_LABEL, type TRole } from "@/server/auth/roles";

const STAFF_ROLES = (Object.keys(ROLE_LABEL) as TRole[]).filter((r) => r !== "DONOR");
const ROLE_OPTIONS = STAFF_ROLES.map((r) => [r, ROLE_LABEL[r]] as const);
const small = "rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100";

type TUser = {
  id: string;
  email: string;
  name: string;
  role: TRole;
  organisation: { id: string; name: string } | null;
  locked: boolean;
  deactivated: boolean;
};

function useOrganisationOptions() {
  const trpc = useTRPC();
  const orgs = useQuery(trpc.admin.listOrganisations.queryOptions());
  return (orgs.data ?? []).map((o) => [o.id, o.name] as const);
}

/** Staff and donor accounts, with what an administrator may do to each, and a form to add staff. */
export function UsersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.admin.listUsers.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.listUsers.queryKey() });
  return (
    <div className="space-y-6">
      <Card title="Users">
        {users.isPending ? <p>Loading users…</p> : null}
        {users.error ? <p role="alert">Could not load users: {users.error.message}</p> : null}
        <ul className="divide-y divide-slate-100" data-testid="users">
          {users.data?.map((u) => (
            <li
              key={u.id}
              className="flex flex-wrap items-start justify-between gap-2 py-3"
              data-testid="user"
              data-email={u.email}
            >
              <div className="min-w-0 break-words">
                <p className="font-medium">
                  {u.name}{" "}
                  {u.deactivated ? (
                    <span className="ml-1 inline-flex items-center gap-1 rounded bg-slate-200 px-1.5 text-xs text-slate-800">
                      <UserX aria-hidden="true" className="h-3 w-3" /> deactivated
                    </span>
                  ) : null}
                  {u.locked ? (
                    <span className="ml-1 inline-flex items-center gap-1 rounded bg-amber-100 px-1.5 text-xs text-amber-900">
                      <Lock aria-hidden="true" className="h-3 w-3" /> locked out
                    </span>
                  ) : null}
                </p>
                <p className="text-sm text-slate-600">
                  {u.email} · {ROLE_LABEL[u.role]}
                  {u.organisation ? ` · ${u.organisation.name}` : ""}
                </p>
              </div>
              {u.role === "DONOR" ? null : <UserActions user={u} onDone={refresh} />}
            </li>
          ))}
        </ul>
      </Card>
      <CreateUser onDone={refresh} />
    </div>
  );
}

function UserActions({ user, onDone }: { user: TUser; onDone: () => unknown }) {
  const trpc = useTRPC();
  const unlock = useMutation(trpc.admin.unlockUser.mutationOptions({ onSuccess: onDone }));
  const reactivate = useMutation(trpc.admin.reactivateUser.mutationOptions({ onSuccess: onDone }));
  const error = unlock.error ?? reactivate.error;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {user.locked ? (
        <button type="button" className={small} onClick={() => unlock.mutate({ userId: user.id })}>
          Unlock<span className="sr-only"> {user.name}</span>
        </button>
      ) : null}
      <ChangeRole user={user} onDone={onDone} />
      {user.deactivated ? (
        <button type="button" className={small} onClick={() => reactivate.mutate({ userId: user.id })}>
          Reactivate<span className="sr-only"> {user.name}</span>
        </button>
      ) : (
        <Deactivate user={user} onDone={onDone} />
      )}
      {error ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}

function ChangeRole({ user, onDone }: { user: TUser; onDone: () => unknown }) {
  const trpc = useTRPC();
  const orgOptions = useOrganisationOptions();
  const change = useMutation(trpc.admin.changeUserRole.mutationOptions({ onSuccess: onDone }));
  const [role, setRole] = useState<string>(user.role);
  const [organisationId, setOrganisationId] = useState(user.organisation?.id ?? "");
  return (
    <ModalDialog
      title={`Role of ${user.name}`}
      description="The role must fit the organisation's kind. It takes effect at the next sign-in."
      trigger={
        <button type="button" className={small}>
          Change role<span className="sr-only"> of {user.name}</span>
        </button>
      }
    >
      {(close) => (
        <form
          className="space-y-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate({ userId: user.id, role: role as "COURIER", organisationId }, { onSuccess: close });
          }}
        >
          <SelectField
            id={`role-${user.id}`}
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value)}
            options={ROLE_OPTIONS}
          />
          <SelectField
            id={`org-${user.id}`}
            label="Organisation"
            value={organisationId}
            onChange={(e) => setOrganisationId(e.target.value)}
            options={orgOptions}
          />
          {change.error ? (
            <p role="alert" className="text-sm text-red-700">
              {change.error.message}
            </p>
          ) : null}
          <Button type="submit" disabled={change.isPending}>
            Save the role
          </Button>
        </form>
      )}
    </ModalDialog>
  );
}

function Deactivate({ user, onDone }: { user: TUser; onDone: () => unknown }) {
  const trpc = useTRPC();
  const deactivate = useMutation(trpc.admin.deactivateUser.mutationOptions({ onSuccess: onDone }));
  const [reasonCode, setReasonCode] = useState("");
  return (
    <ModalDialog
      title={`Deactivate ${user.name}?`}
      description="The account can no longer sign in. It is kept, with its trail, and can be reactivated."
      trigger={
        <button type="button" className={`${small} text-red-800`}>
          Deactivate<span className="sr-only"> {user.name}</span>
        </button>
      }
    >
      {(close) => (
        <form
          className="space-y-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            deactivate.mutate({ userId: user.id, reasonCode: reasonCode as "OTHER" }, { onSuccess: close });
          }}
        >
          <SelectField
            id={`deactivate-${user.id}`}
            label="Reason"
            value={reasonCode}
            onChange={(e) => setReasonCode(e.target.value)}
            options={[["", "Choose…"], ...Object.entries(DEACTIVATION_REASONS)]}
          />
          {deactivate.error ? (
            <p role="alert" className="text-sm text-red-700">
              {deactivate.error.message}
            </p>
          ) : null}
          <Button type="submit" disabled={deactivate.isPending} className="bg-red-700 hover:bg-red-900">
            Deactivate the account
          </Button>
        </form>
      )}
    </ModalDialog>
  );
}

function CreateUser({ onDone }: { onDone: () => unknown }) {
  const trpc = useTRPC();
  const orgOptions = useOrganisationOptions();
  const create = useMutation(trpc.admin.createUser.mutationOptions({ onSuccess: onDone }));
  const empty = { name: "", email: "", role: "CENTER_COORDINATOR", organisationId: "", password: "" };
  const [form, setForm] = useState(empty);
  const errors = create.error?.data?.fieldErrors ?? {};
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ ...form, role: form.role as "COURIER" }, { onSuccess: () => setForm(empty) });
  };
  return (
    <Card title="Add a staff account">
      <form
        onSubmit={submit}
        className="grid gap-3 sm:grid-cols-2"
        noValidate
        aria-label="Add a staff account"
      >
        <Field id="user-name" label="Name" value={form.name} onChange={set("name")} error={errors.name} />
        <Field
          id="user-email"
          label="E-mail"
          type="email"
          value={form.email}
          onChange={set("email")}
          error={errors.email}
        />
        <SelectField
          id="user-role"
          label="Role"
          value={form.role}
          onChange={set("role")}
          options={ROLE_OPTIONS}
        />
        <div className="space-y-1">
          <SelectField
            id="user-org"
            label="Organisation"
            value={form.organisationId}
            onChange={set("organisationId")}
            options={[["", "Choose…"], ...orgOptions]}
          />
          {errors.organisationId ? <p className="text-sm text-red-700">{errors.organisationId}</p> : null}
        </div>
        <Field
          id="user-password"
          label="First password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters; hand it over in person"
          value={form.password}
          onChange={set("password")}
          error={errors.password}
        />
        <SubmitRow
          label="Add the account"
          pending={create.isPending}
          error={Object.keys(errors).length ? null : create.error}
          done={create.isSuccess ? "Account added." : null}
        />
      </form>
    </Card>
  );
}
