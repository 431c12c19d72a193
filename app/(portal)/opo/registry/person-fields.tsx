import { Field } from "@/app/_components/ui";
import { IDENTIFIER_SCHEME_LABELS, IDENTIFIER_SCHEMES } from "@/server/consent/identifiers";

export type TPerson = { scheme: string; identifier: string; dateOfBirth: string; fullName?: string };

/** Identifier type, identifier and date of birth: how a person is found in the registry. */
export function PersonFields({
  prefix,
  value,
  onChange,
  errors,
}: {
  prefix: string;
  value: TPerson;
  onChange: (next: TPerson) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <div className="space-y-1">
        <label htmlFor={`${prefix}-scheme`} className="block text-sm font-medium text-slate-800">
          Identifier type
        </label>
        <select
          id={`${prefix}-scheme`}
          value={value.scheme}
          onChange={(e) => onChange({ ...value, scheme: e.target.value })}
          className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm"
        >
          {IDENTIFIER_SCHEMES.map((s) => (
            <option key={s} value={s}>
              {IDENTIFIER_SCHEME_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Identifier"
        id={`${prefix}-identifier`}
        value={value.identifier}
        onChange={(e) => onChange({ ...value, identifier: e.target.value })}
        error={errors["identifier.value"]}
      />
      <Field
        label="Date of birth"
        id={`${prefix}-dob`}
        type="date"
        value={value.dateOfBirth}
        onChange={(e) => onChange({ ...value, dateOfBirth: e.target.value })}
        error={errors.dateOfBirth}
      />
    </>
  );
}
