"use client";

export function PrintButton({ label = "Print label" }: { label?: string }) {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900"
    >
      {label}
    </button>
  );
}
