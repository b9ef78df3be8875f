// The `xpears report …` commands as plain functions: inputs in, a result and the text to print out. The CLI (bin/)
// parses flags, builds ReportDeps and prints; nothing here exits the process.
import { listReports, type ArchivedReport } from './archive.js';
import { parseMonthKey } from './month.js';
import { generateMonthlyReport, runMonthlyReports, type GeneratedReport, type ReportDeps, type RunProgress,
  type RunSummary } from './run.js';

/** `xpears report generate --customer ID --month YYYY-MM [--out FILE]`. */
export async function reportGenerateCommand(opts: { customer: string; month: string; out?: string },
  deps: ReportDeps): Promise<{ result: GeneratedReport; text: string }> {
  const result = await generateMonthlyReport({ customerId: opts.customer, month: opts.month, out: opts.out }, deps);
  const lines = [
    `report ${opts.customer} ${opts.month}: ${result.figures.occurrences} events, ${result.figures.threats} threats` +
      ` (${result.figures.unhandled} unresolved)`,
    `archived: ${result.archived.path}` + (result.archived.version > 1 ? ` (version ${result.archived.version})` : ''),
  ];
  if (result.out) lines.push(`written: ${result.out}`);
  return { result, text: lines.join('\n') };
}

/** `xpears report run --month YYYY-MM [--resend]`; `onProgress` gets each customer as it is done. */
export async function reportRunCommand(opts: { month: string; resend?: boolean; onProgress?: (p: RunProgress) => void },
  deps: ReportDeps): Promise<{ summary: RunSummary; text: string; exitCode: number }> {
  parseMonthKey(opts.month);
  const summary = await runMonthlyReports({ month: opts.month, resend: opts.resend, onProgress: opts.onProgress }, deps);
  const lines = [`monthly reports ${summary.month}: ${summary.customers} customers with the report in their plan`,
    `  generated ${summary.generated}, already archived ${summary.reused}, failed ${summary.failed},` +
      ` mails handed to the outbox ${summary.queued}` + (opts.resend ? ' (resend)' : '')];
  for (const o of summary.outcomes.filter((x) => x.status === 'failed')) lines.push(`  FAILED ${o.customerId}: ${o.error}`);
  return { summary, text: lines.join('\n'), exitCode: summary.failed > 0 ? 1 : 0 };
}

/** One line of a progress bar for a terminal: "[######------] 3/12 acme generated". */
export function progressLine(p: RunProgress, width = 24): string {
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} ${p.outcome.customerId} ` +
    p.outcome.status;
}

/** `xpears report list [--json]`: the archive, oldest first. */
export function reportListCommand(opts: { dataDir: string; json?: boolean }): { reports: ArchivedReport[]; text: string } {
  const reports = listReports(opts.dataDir);
  if (opts.json) return { reports, text: JSON.stringify(reports, null, 2) };
  if (reports.length === 0) return { reports, text: 'no reports archived yet' };
  const rows = reports.map((r) => [r.customerId, r.month, r.version > 1 ? `v${r.version}` : 'v1',
    `${Math.round(r.bytes / 1024)} KB`, r.path]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 8));
  const header = ['CUSTOMER', 'MONTH', 'VERSION', 'SIZE', 'PATH'];
  const fmt = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 8) : c)).join('  ');
  return { reports, text: [fmt(header), ...rows.map(fmt)].join('\n') };
}
