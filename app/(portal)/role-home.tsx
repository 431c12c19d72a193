import { Card } from "@/app/_components/ui";
import type { TSessionUser } from "@/server/auth/roles";
import { ROLE_LABEL } from "@/server/auth/roles";

/** The top of each role's home page: who is signed in and what this workspace is for. */
export function RoleHome({
  user,
  duties,
  children,
}: {
  user: TSessionUser;
  duties: string[];
  children?: React.ReactNode;
}) {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">{ROLE_LABEL[user.role]} workspace</h1>
        <p className="mt-1 text-slate-700">
          Signed in as {user.name} ({user.email}){user.organisationName ? `, ${user.organisationName}` : ""}.
        </p>
      </div>
      <Card title="What you do here">
        <ul className="list-disc space-y-1 pl-5 text-slate-800">
          {duties.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      </Card>
      {children}
    </div>
  );
}
