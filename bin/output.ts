// Printing for the CLI: aligned tables for people, JSON arrays for scripts.

/** A column of a table: its header and how to read a row's cell. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/** Prints rows as an aligned table, or as a JSON array when `json` is set. */
export function printList<T>(rows: readonly T[], columns: readonly Column<T>[], opts: { json?: boolean; empty?: string }, out: (s: string) => void = console.log): void {
  if (opts.json) { out(JSON.stringify(rows, null, 2)); return; }
  if (rows.length === 0) { out(opts.empty ?? '(none)'); return; }
  const cells = rows.map((r) => columns.map((c) => { const v = c.value(r); return v === null || v === undefined ? '-' : String(v); }));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.header.length, ...cells.map((row) => row[i]!.length))));
  const fmt = (row: string[]) => row.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join('  ').trimEnd();
  out(fmt(columns.map((c) => c.header)));
  for (const row of cells) out(fmt(row));
}

/** Prints one object as "key: value" lines, or as JSON. */
export function printRecord(record: object, opts: { json?: boolean }, out: (s: string) => void = console.log): void {
  if (opts.json) { out(JSON.stringify(record, null, 2)); return; }
  for (const [k, v] of Object.entries(record)) out(`${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
}
