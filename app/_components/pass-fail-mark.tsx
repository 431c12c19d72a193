/**
 * A verification check's result, written the same everywhere: "pass", "FAIL", or — while it cannot
 * be decided yet (not anchored, no chain) — `pendingText`. Colour is never the only signal.
 */
export function PassFailMark({
  ok,
  pendingText = "pending",
  size = "sm",
  children,
  ...data
}: {
  ok: boolean | null;
  pendingText?: string;
  size?: "sm" | "xs";
  /** Shown before the result (e.g. the check's name in a compact row of marks). */
  children?: React.ReactNode;
} & { [attribute: `data-${string}`]: string }) {
  const text = ok === null ? pendingText : ok ? "pass" : "FAIL";
  const colour =
    ok === null
      ? "bg-slate-200 text-slate-800"
      : ok
        ? "bg-green-100 text-green-900"
        : "bg-red-100 text-red-900";
  return (
    <span
      className={`rounded px-2 py-0.5 ${size === "xs" ? "text-xs" : "text-sm"} font-semibold ${colour}`}
      data-result={text}
      {...data}
    >
      {children}
      {text}
    </span>
  );
}

/** One labelled check in a list of checks, its mark on the right. */
export function CheckRow({
  ok,
  label,
  pendingText,
}: {
  ok: boolean | null;
  label: string;
  pendingText?: string;
}) {
  return (
    <li className="flex items-center justify-between gap-4 py-2">
      <span>{label}</span>
      <PassFailMark ok={ok} pendingText={pendingText} data-testid={`check-${label}`} />
    </li>
  );
}
