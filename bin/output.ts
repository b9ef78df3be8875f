// Printing for the CLI: aligned tables for people, JSON arrays for scripts. Nothing reaches the terminal with a
// control or invisible formatting character in it (a console's text may hold any): see guardTerminal.
import { terminalCell, terminalSafe } from '../lib/console-text.js';

/** A column of a table: its header and how to read a row's cell. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/** Prints rows as an aligned table, or as a JSON array when `json` is set. */
export function printList<T>(rows: readonly T[], columns: readonly Column<T>[], opts: { json?: boolean; empty?: string }, out: (s: string) => void = console.log): void {
  if (opts.json) { out(terminalSafe(JSON.stringify(rows, null, 2))); return; }
  if (rows.length === 0) { out(opts.empty ?? '(none)'); return; }
  const cells = rows.map((r) => columns.map((c) => { const v = c.value(r); return v === null || v === undefined ? '-' : terminalCell(String(v)); }));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.header.length, ...cells.map((row) => row[i]!.length))));
  const fmt = (row: string[]) => row.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join('  ').trimEnd();
  out(fmt(columns.map((c) => c.header)));
  for (const row of cells) out(fmt(row));
}

/** Prints one object as "key: value" lines, or as JSON. */
export function printRecord(record: object, opts: { json?: boolean }, out: (s: string) => void = console.log): void {
  if (opts.json) { out(terminalSafe(JSON.stringify(record, null, 2))); return; }
  for (const [k, v] of Object.entries(record)) out(terminalCell(`${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`));
}

const GUARDED = Symbol('xpears.terminalGuard');

// A chunk's leading carriage return is the CLI's own (a progress line redrawn in place); any other is escaped.
const safeChunk = (chunk: string): string => (chunk.startsWith('\r') ? `\r${terminalSafe(chunk.slice(1))}` : terminalSafe(chunk));

/** Makes every later string written to the stream terminal-safe: the CLI's one guarantee for every command's output. */
export function guardTerminal(stream: NodeJS.WriteStream): void {
  const s = stream as NodeJS.WriteStream & { [GUARDED]?: true };
  if (s[GUARDED]) return;
  const write = s.write.bind(s) as (chunk: unknown, ...rest: unknown[]) => boolean;
  s.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? safeChunk(chunk) : chunk, ...rest)) as typeof s.write;
  s[GUARDED] = true;
}
