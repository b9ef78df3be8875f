// `xpears user …` and `xpears audit list`: the CAS console's accounts, administered from the collector's server.
// The first lead is created here; every change is written to the audit log as `cli:<os user>`.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { printList } from '../output.js';
import { XpearsError } from '../../lib/errors.js';
import type { AccountStore } from '../../collector/accounts/index.js';

/** The CLI's actor name in history and audit. */
export function cliActor(): string {
  try { return `cli:${userInfo().username}`; } catch { return 'cli'; }
}

/** Reads a password: the first line of standard input when it is not a terminal, else a prompt without echo. */
export async function readPassword(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw new XpearsError('INVALID_ARGUMENT', 'no password on standard input');
    return line;
  }
  const muted = new Writable({ write: (_c, _e, done) => done() });
  process.stderr.write(prompt);
  const rl = createInterface({ input, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

async function withAccounts<T>(configFile: string | undefined, fn: (accounts: AccountStore) => Promise<T> | T): Promise<T> {
  const [{ collectorConfig, openDb }, { AccountStore }, { systemClock }] = await Promise.all([
    import('../context.js'), import('../../collector/accounts/index.js'), import('../../lib/clock.js'),
  ]);
  const db = openDb(collectorConfig(configFile));
  try { return await fn(new AccountStore(db, systemClock)); } finally { db.close(); }
}

/** Registers `user add|list|disable|enable|reset-password|role|token` and `audit list`. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('engineers\' accounts of the CAS console');
  user.command('add <login>').description('add an engineer (password from standard input when it is not a terminal)')
    .requiredOption('--name <name>', 'full name').requiredOption('--email <address>', 'e-mail address')
    .requiredOption('--role <role>', 'l1, l2, l3, lead or read-only').option('--language <es|en>', 'language of the console', 'es')
    .option('--config <file>', 'collector configuration')
    .action(async (login: string, o) => {
      const password = await readPassword(`password for ${login}: `);
      const u = await withAccounts(o.config, (a) => a.addUser({ login, name: o.name, email: o.email, role: o.role, language: o.language, password }, cliActor()));
      console.log(`user ${u.login} added (${u.role})`);
    });
  user.command('list').description('list the engineers').option('--json', 'print a JSON array').option('--config <file>', 'collector configuration')
    .action(async (o) => withAccounts(o.config, (a) => printList(a.list(), [
      { header: 'LOGIN', value: (u) => u.login }, { header: 'NAME', value: (u) => u.name }, { header: 'EMAIL', value: (u) => u.email },
      { header: 'ROLE', value: (u) => u.role }, { header: 'LANG', value: (u) => u.language }, { header: 'DISABLED', value: (u) => u.disabledAt },
    ], { json: o.json, empty: 'no users yet: xpears user add LOGIN --name … --email … --role lead' })));
  user.command('disable <login>').description('disable an engineer: their sessions and tokens stop at once').option('--config <file>', 'collector configuration')
    .action(async (login: string, o) => { await withAccounts(o.config, (a) => a.disable(login, cliActor())); console.log(`user ${login} disabled`); });
  user.command('enable <login>').description('enable a disabled engineer again').option('--config <file>', 'collector configuration')
    .action(async (login: string, o) => { await withAccounts(o.config, (a) => a.enable(login, cliActor())); console.log(`user ${login} enabled`); });
  user.command('reset-password <login>').description('set a new password (from standard input when it is not a terminal); ends their sessions')
    .option('--config <file>', 'collector configuration')
    .action(async (login: string, o) => {
      const password = await readPassword(`new password for ${login}: `);
      await withAccounts(o.config, (a) => a.resetPassword(login, password, cliActor()));
      console.log(`password of ${login} changed; their sessions ended`);
    });
  user.command('role <login> <role>').description('change an engineer\'s role; ends their sessions').option('--config <file>', 'collector configuration')
    .action(async (login: string, role: string, o) => {
      const { parseRole } = await import('../../collector/accounts/index.js');
      await withAccounts(o.config, (a) => a.setRole(login, parseRole(role), cliActor()));
      console.log(`user ${login} is now ${role}`);
    });
  user.command('token <login>').description('create a personal API token (shown once)').requiredOption('--name <name>', 'what the token is for')
    .option('--config <file>', 'collector configuration')
    .action(async (login: string, o) => {
      const { token } = await withAccounts(o.config, (a) => a.createToken(login, o.name, cliActor()));
      console.log(token);
    });
  program.command('audit').description('the audit log of accounts and console changes').command('list').description('list audit lines, newest first')
    .option('--limit <n>', 'how many', '50').option('--json', 'print a JSON array').option('--config <file>', 'collector configuration')
    .action(async (o) => withAccounts(o.config, (a) => printList(a.auditList(Number(o.limit)), [
      { header: 'AT', value: (e) => e.at }, { header: 'ACTOR', value: (e) => e.actor }, { header: 'ACTION', value: (e) => e.action },
      { header: 'TARGET', value: (e) => e.target }, { header: 'DETAIL', value: (e) => e.detail },
    ], { json: o.json, empty: 'the audit log is empty' })));
}
