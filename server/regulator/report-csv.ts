/**
 * CSV (RFC 4180) for report downloads. A field is quoted when it holds a comma, a quote, a line
 * break or edge spaces, with quotes doubled. Text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or CR) gets a leading apostrophe, since free text such as a
 * discard reason comes from staff input. Numbers are written as they are.
 */
export type TCsvColumn<Row> = { header: string; value: (row: Row) => string | number | boolean | null };

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: header row, then one line per row, CRLF line ends. */
export function toCsv<Row>(columns: ReadonlyArray<TCsvColumn<Row>>, rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
