import { describe, expect, it } from "vitest";
import { parseDatabaseUrl, quoteIdent, redactUrl, withSchema } from "./database-url";

describe("parseDatabaseUrl", () => {
  it.each([
    {
      desc: "defaults to public",
      input: "postgresql://postgres@127.0.0.1:5432/test",
      want: { connectionString: "postgresql://postgres@127.0.0.1:5432/test", schema: "public" },
    },
    {
      desc: "takes Prisma's ?schema= and removes it for pg",
      input: "postgresql://u:p@h:1/db?schema=test_ab12&sslmode=disable",
      want: { connectionString: "postgresql://u:p@h:1/db?sslmode=disable", schema: "test_ab12" },
    },
    {
      desc: "accepts postgres://",
      input: "postgres://h/db",
      want: { connectionString: "postgres://h/db", schema: "public" },
    },
  ])("$desc", ({ input, want }) => {
    expect(parseDatabaseUrl(input)).toEqual(want);
  });

  it.each([
    { desc: "not a URL", input: "nope", wantErr: /not a valid URL/ },
    { desc: "another database", input: "mysql://h/db", wantErr: /postgresql:\/\// },
    {
      desc: "an injectable schema name",
      input: "postgresql://h/db?schema=a%22;drop",
      wantErr: /unsupported schema/,
    },
  ])("rejects $desc", ({ input, wantErr }) => {
    expect(() => parseDatabaseUrl(input)).toThrow(wantErr);
  });
});

describe("URL helpers", () => {
  it("sets the schema", () => {
    expect(parseDatabaseUrl(withSchema("postgresql://h/db?schema=a", "b")).schema).toBe("b");
  });
  it("never shows a password", () => {
    expect(redactUrl("postgresql://postgres:s3cret@h:5/db")).toBe("postgresql://postgres:***@h:5/db");
    expect(redactUrl("postgresql://postgres@h:5/db")).not.toContain("***");
  });
  it("quotes identifiers", () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});
