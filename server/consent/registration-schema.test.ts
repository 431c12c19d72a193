import { describe, expect, it } from "vitest";
import { makeDonorRegistrationSchema, parseCalendarDate } from "./registration-schema";

const now = () => new Date("2026-03-15T12:00:00Z");
const schema = makeDonorRegistrationSchema({ now });
const valid = {
  fullName: "  Ada Lovelace ",
  dateOfBirth: "1980-04-01",
  identifier: { scheme: "UK_NHS", value: "943 476 5919" },
  contact: { email: "ada@example.org" },
};

function issuesOf(input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("donor registration", () => {
  it("accepts and normalises a valid registration", () => {
    expect(schema.parse(valid)).toEqual({
      fullName: "Ada Lovelace",
      dateOfBirth: "1980-04-01",
      identifier: { scheme: "UK_NHS", value: "9434765919" },
      contact: { email: "ada@example.org" },
    });
  });

  it.each([
    { desc: "impossible day", dob: "2023-02-30", want: /2023-02-30 is not a real date/ },
    { desc: "not a leap year", dob: "2023-02-29", want: /not a real date/ },
    { desc: "month 13", dob: "1990-13-01", want: /not a real date/ },
    { desc: "wrong format", dob: "01/04/1980", want: /YYYY-MM-DD/ },
    { desc: "future", dob: "2026-03-17", want: /future/ },
    { desc: "older than 120", dob: "1906-03-14", want: /more than 120 years/ },
  ])("refuses a date of birth: $desc", ({ dob, want }) => {
    expect(issuesOf({ ...valid, dateOfBirth: dob }).dateOfBirth).toMatch(want);
  });

  it.each([
    { desc: "leap day", dob: "2024-02-29" },
    { desc: "born today", dob: "2026-03-15" },
    { desc: "born tomorrow in UTC+14", dob: "2026-03-16" },
    { desc: "exactly 120", dob: "1906-03-15" },
  ])("accepts a date of birth: $desc", ({ dob }) => {
    expect(issuesOf({ ...valid, dateOfBirth: dob })).toEqual({});
  });

  it("names each bad field", () => {
    const issues = issuesOf({
      fullName: "",
      dateOfBirth: "2023-02-30",
      identifier: { scheme: "US_SSN", value: "666-12-3456" },
      contact: {},
    });
    expect(Object.keys(issues).sort()).toEqual([
      "contact.email",
      "dateOfBirth",
      "fullName",
      "identifier.value",
    ]);
    expect(issues["contact.email"]).toMatch(/e-mail address or a phone number/);
  });

  it("validates contact details", () => {
    expect(issuesOf({ ...valid, contact: { email: "not-an-email" } })["contact.email"]).toMatch(
      /valid e-mail/,
    );
    expect(issuesOf({ ...valid, contact: { phone: "020 7946 0958" } })["contact.phone"]).toMatch(
      /international/,
    );
    expect(schema.parse({ ...valid, contact: { phone: "+44 (20) 7946-0958" } }).contact).toEqual({
      phone: "+442079460958",
    });
  });

  it("parses calendar dates strictly", () => {
    expect(parseCalendarDate("2000-02-29")).toEqual({ year: 2000, month: 2, day: 29 });
    expect(parseCalendarDate("1900-02-29")).toBeNull();
  });
});
