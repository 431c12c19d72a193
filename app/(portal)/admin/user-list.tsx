"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { ROLE_LABEL } from "@/server/auth/roles";

export function UserList() {
  const trpc = useTRPC();
  const users = useQuery(trpc.admin.listUsers.queryOptions());
  return (
    <Card title="Users">
      {users.isPending ? <p>Loading users…</p> : null}
      {users.error ? <p role="alert">Could not load users: {users.error.message}</p> : null}
      {users.data ? (
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-2">
                Name
              </th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Organisation</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id} className="border-b border-slate-100">
                <td className="py-2">{u.name}</td>
                <td>{u.email}</td>
                <td>{ROLE_LABEL[u.role]}</td>
                <td>{u.organisation?.name ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  );
}
