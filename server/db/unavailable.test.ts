import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

describe("isDatabaseUnavailable", () => {
  const cases: Array<{ desc: string; err: unknown; want: boolean }> = [
    { desc: "Prisma cannot reach the server", err: { code: "P1001", message: "x" }, want: true },
    { desc: "pool timeout", err: { code: "P2024", message: "x" }, want: true },
    {
      desc: "admin shutdown in a raw query",
      err: new Error(
        "Raw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`",
      ),
      want: true,
    },
    {
      desc: "shutting down",
      err: new Error("Database error. Code: `57P03`. Message: `the database system is shutting down`"),
      want: true,
    },
    {
      desc: "driver lost its connection",
      err: new Error("Client has encountered a connection error and is not queryable"),
      want: true,
    },
    {
      desc: "refused, as the cause",
      err: { message: "wrapped", cause: { code: "ECONNREFUSED", message: "connect ECONNREFUSED" } },
      want: true,
    },
    {
      desc: "no pooled connection in time for a transaction",
      err: {
        code: "P2028",
        message: "Transaction API error: Unable to start a transaction in the given time.",
      },
      want: true,
    },
    {
      desc: "a transaction that ran past its timeout is the request's",
      err: { code: "P2028", message: "Transaction API error: Transaction already closed" },
      want: false,
    },
    {
      desc: "no pooled connection in time for a direct transaction",
      err: new Error("timeout exceeded when trying to connect"),
      want: true,
    },
    { desc: "SQLSTATE in meta", err: { code: "P2010", meta: { code: "08006" }, message: "x" }, want: true },
    {
      desc: "a unique violation is the request's fault",
      err: { code: "P2002", message: "Unique constraint failed" },
      want: false,
    },
    { desc: "invalid text", err: new Error("Code: `22021`. invalid byte sequence"), want: false },
    { desc: "not an error", err: "ECONNREFUSED", want: false },
  ];
  for (const c of cases) it(c.desc, () => expect(isDatabaseUnavailable(c.err)).toBe(c.want));
});
