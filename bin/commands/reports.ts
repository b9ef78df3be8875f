// `xpears report generate|run|list`: the monthly technical PDF report.
import type { Command } from 'commander';
import { withServices } from './operations.js';

const commands = () => import('../../reports/commands.js');

const cfg = '--config <file>';
const cfgHelp = 'collector configuration';

/** Registers the report commands. */
export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('the monthly technical report (Managed Services and Premium)');
  report.command('generate').description("make one customer's report for a month").requiredOption('--customer <id>')
    .requiredOption('--month <YYYY-MM>').option('--out <file>', 'also write the PDF here').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async (s) => {
      const r = await (await commands()).reportGenerateCommand({ customer: o.customer, month: o.month, out: o.out }, s.reports);
      console.log(r.text);
    }));
  report.command('run').description('make, archive and mail the month\'s report for every customer whose plan has it')
    .requiredOption('--month <YYYY-MM>').option('--resend', 'mail it again even if it was sent').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async (s) => {
      const tty = process.stderr.isTTY === true;
      const { reportRunCommand, progressLine } = await commands();
      const r = await reportRunCommand({
        month: o.month, resend: Boolean(o.resend),
        onProgress: (p) => { if (tty) process.stderr.write(`\r${progressLine(p)}`); },
      }, s.reports);
      if (tty) process.stderr.write('\n');
      console.log(r.text);
      process.exitCode = r.exitCode;
    }));
  report.command('list').description('archived reports').option('--json', 'print a JSON array').option(cfg, cfgHelp)
    .action(async (o) => {
      const [{ collectorConfig }, { reportListCommand }] = await Promise.all([import('../context.js'), commands()]);
      const r = reportListCommand({ dataDir: collectorConfig(o.config).dataDir, json: o.json });
      console.log(o.json ? JSON.stringify(r.reports, null, 2) : r.text);
    });
}
