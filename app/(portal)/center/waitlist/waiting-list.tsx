"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formatDate, ORGAN_TYPE_LABEL } from "@/server/format/format";
import { ORGAN_TYPES } from "@/server/matching/organ-type";
import { EraseCandidate } from "./erase-candidate";

const STATUSES = ["ACTIVE", "INACTIVE", "TRANSPLANTED", "REMOVED"] as const;

export function WaitingList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [organ, setOrgan] = useState("");
  const list = useQuery(trpc.waitlist.list.queryOptions(organ ? { organ: organ as "KIDNEY" } : {}));
  return (
    <Card title="Candidates">
      <label className="mb-3 flex items-center gap-2 text-sm">
        Organ
        <select
          value={organ}
          onChange={(e) => setOrgan(e.target.value)}
          className="rounded border border-slate-400 bg-white px-2 py-1"
        >
          <option value="">All</option>
          {ORGAN_TYPES.map((o) => (
            <option key={o} value={o}>
              {o.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      {list.error ? <p role="alert">{list.error.message}</p> : null}
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm" data-testid="waitlist">
          <thead className="border-b border-slate-300">
            <tr>
              <th className="py-1 pr-3">Code</th>
              <th className="py-1 pr-3">Organ</th>
              <th className="py-1 pr-3">ABO</th>
              <th className="py-1 pr-3">cPRA</th>
              <th className="py-1 pr-3">Listed</th>
              <th className="py-1 pr-3">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((c) => (
              <tr
                key={c.id}
                className="border-b border-slate-100"
                data-testid="waitlist-row"
                data-code={c.code}
              >
                <td className="py-1 pr-3 font-mono">{c.code}</td>
                <td className="py-1 pr-3">{ORGAN_TYPE_LABEL[c.organ] ?? c.organ}</td>
                <td className="py-1 pr-3">{c.abo}</td>
                <td className="py-1 pr-3">{c.cpra}</td>
                <td className="py-1 pr-3">{formatDate(c.listedAt)}</td>
                <td className="py-1 pr-3">
                  {c.erasedAt ? (
                    <span data-testid="candidate-erased">
                      {c.status.toLowerCase()} · record erased {formatDate(c.erasedAt)}
                    </span>
                  ) : (
                    <div className="flex flex-wrap items-center gap-3">
                      <StatusChange id={c.id} code={c.code} status={c.status} />
                      {c.status === "TRANSPLANTED" || c.status === "REMOVED" ? (
                        <EraseCandidate
                          id={c.id}
                          code={c.code}
                          onDone={() =>
                            queryClient.invalidateQueries({ queryKey: trpc.waitlist.list.queryKey() })
                          }
                        />
                      ) : null}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** Status with its change form; every change needs a reason and is kept in the history. */
function StatusChange({ id, code, status }: { id: string; code: string; status: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [to, setTo] = useState(status);
  const [reason, setReason] = useState("");
  const change = useMutation(
    trpc.waitlist.setStatus.mutationOptions({
      onSuccess: () => {
        setReason("");
        return queryClient.invalidateQueries({ queryKey: trpc.waitlist.list.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate({ candidateId: id, status: to as "ACTIVE", reason });
  };
  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-center gap-2"
      noValidate
      aria-label={`Status of ${code}`}
    >
      <select
        aria-label="Status"
        value={to}
        onChange={(e) => setTo(e.target.value)}
        className="rounded border border-slate-400 bg-white px-1 py-0.5"
      >
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s.toLowerCase()}
          </option>
        ))}
      </select>
      {to !== status ? (
        <>
          <input
            aria-label="Reason for the change"
            placeholder="reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            className="w-40 rounded border border-slate-400 px-1 py-0.5"
          />
          <button type="submit" className="text-brand-700 underline" disabled={change.isPending}>
            save
          </button>
        </>
      ) : null}
      {change.error ? (
        <span className="text-red-700">{change.error.data?.fieldErrors?.reason ?? change.error.message}</span>
      ) : null}
    </form>
  );
}
