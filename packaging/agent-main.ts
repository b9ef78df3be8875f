// The packaged agent's entry (bundled into lib/agent.mjs by packaging/bundle.ts; never imports the collector):
//   start   --config FILE                       run the agent until SIGTERM/SIGINT (the service's ExecStart)
//   migrate --config FILE                       bring the outbox file to this package's schema (service stopped)
//   health  --config FILE [--expect-version V] [--receivers] [--timeout S]
//                                               exit 0 once the status endpoint answers healthy (with --receivers:
//                                               and every configured receiver listening)
//   status  --config FILE [--json]              the status endpoint's answer (what `xpears agent status` prints)
//   firewall-plan --config FILE                 the inbound rules the receivers need, as JSON (install.ps1)
//   version                                     this package's version
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../config/load.js';
import { agentConfigSchema, type AgentConfig } from '../agent/config.js';
import { migrateOutbox, outboxMigrations } from './outbox-schema.js';
import { firewallPlan } from './firewall-plan.js';

declare const XPEARS_PACKAGE_VERSION: string;
declare const XPEARS_EXTRA_MIGRATION: string;

const VERSION = typeof XPEARS_PACKAGE_VERSION === 'string' ? XPEARS_PACKAGE_VERSION : '0.0.0-source';
const EXTRA = typeof XPEARS_EXTRA_MIGRATION === 'string' && XPEARS_EXTRA_MIGRATION !== '' ? XPEARS_EXTRA_MIGRATION : undefined;
(globalThis as { xpearsAgentVersion?: string }).xpearsAgentVersion = VERSION;

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function loadConfig(args: readonly string[]): AgentConfig {
  const file = option(args, '--config');
  if (!file) throw new Error('--config FILE is required');
  return loadConfigFile(agentConfigSchema, file);
}

/** The file the upgrade script creates before starting a new version and removes once that version is healthy. */
const PROBATION_FILE = 'upgrade-probation';
/** A probation file older than this is left over from an interrupted upgrade: the receivers start anyway. */
const PROBATION_MAX_MS = 10 * 60_000;

// On probation (just upgraded, not yet confirmed healthy) the agent runs without receivers: nothing is acknowledged
// by a version that may still be rolled back, so a rollback that restores the outbox copy loses no capture (senders
// are refused meanwhile and retry: SMTP and informs are retried by the console; a trap sent then is lost, as during
// the stop itself). The outbox, forwarder, heartbeat and status endpoint run, so the health check means something.
function onProbation(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < PROBATION_MAX_MS;
  } catch {
    return false;
  }
}

async function start(config: AgentConfig): Promise<void> {
  const outboxPath = join(config.dataDir, 'outbox.db');
  if (existsSync(outboxPath)) migrateOutbox(outboxPath, outboxMigrations(EXTRA));
  const [{ createLogger }, { systemClock }, { exitOnSignal }, { startAgent }] = await Promise.all([
    import('../lib/logger.js'), import('../lib/clock.js'), import('../lib/shutdown.js'), import('../agent/index.js')]);
  const logger = createLogger({ name: 'xpears-agent', pretty: false });
  const deps = { logger, clock: systemClock };
  const probation = join(config.dataDir, PROBATION_FILE);
  const held = onProbation(probation);
  let running: Awaited<ReturnType<typeof startAgent>> | undefined = await startAgent(held ? { ...config, receivers: {} } : config, deps);
  logger.info({ version: VERSION, outbox: 'node:sqlite' }, 'packaged agent running');
  let stopping = false;
  let switching = Promise.resolve();
  if (held) {
    logger.warn({ version: VERSION }, 'on probation after an upgrade: the receivers start once the upgrade confirms this version is healthy');
    switching = (async () => {
      while (!stopping && onProbation(probation)) await new Promise((r) => setTimeout(r, 200));
      if (stopping) return;
      await running!.stop();
      running = undefined;
      if (stopping) return;
      running = await startAgent(config, deps);
      logger.info({ version: VERSION }, 'upgrade confirmed: receivers started');
    })().catch((err: unknown) => {
      logger.error({ err }, 'the receivers did not start after the upgrade was confirmed');
      process.exit(1);
    });
  }
  await exitOnSignal(async () => {
    stopping = true;
    await switching;
    await running?.stop();
  }, { logger });
}
interface StatusAnswer {
  version: string;
  problems: unknown[];
  outbox?: { refusing?: boolean };
  receivers?: { listening?: string }[];
}

async function fetchStatus(config: AgentConfig): Promise<StatusAnswer> {
  const res = await fetch(`http://${config.status.address}:${config.status.port}/status`, { signal: AbortSignal.timeout(3000) });
  return (await res.json()) as StatusAnswer;
}

/** How many receivers the configuration starts (as agent/index.ts loads them). */
function configuredReceivers(config: AgentConfig): number {
  const r = config.receivers;
  return [r.snmp && r.snmp.enabled !== false, r.smtp, r.syslog].filter(Boolean).length;
}

// Healthy: the status endpoint answers with the expected version and the outbox is not refusing captures; with
// `receivers`, every configured receiver is listening too (after an upgrade's probation ended).
async function health(config: AgentConfig, expect: string | undefined, timeoutSeconds: number, receivers: boolean): Promise<number> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const s = await fetchStatus(config);
      const listening = (s.receivers ?? []).filter((r) => r.listening).length;
      if (expect && s.version !== expect) last = `version ${s.version}, expected ${expect}`;
      else if (s.outbox?.refusing) last = 'the outbox refuses captures';
      else if (receivers && listening < configuredReceivers(config)) last = `${listening} of ${configuredReceivers(config)} receivers listening`;
      else { console.log(`healthy: version ${s.version}${receivers ? ', receivers listening' : ''}`); return 0; }
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`not healthy after ${timeoutSeconds} s: ${last}`);
  return 1;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'version':
      console.log(VERSION);
      return 0;
    case 'start':
      await start(loadConfig(args));
      return 0;
    case 'migrate': {
      const config = loadConfig(args);
      const path = join(config.dataDir, 'outbox.db');
      if (!existsSync(path)) { console.log('no outbox yet: nothing to migrate'); return 0; }
      const r = migrateOutbox(path, outboxMigrations(EXTRA));
      console.log(`outbox schema ${r.from} -> ${r.to}, ${r.pending} envelopes pending`);
      return 0;
    }
    case 'firewall-plan':
      console.log(JSON.stringify(firewallPlan(loadConfig(args))));
      return 0;
    case 'health':
      return health(loadConfig(args), option(args, '--expect-version'), Number(option(args, '--timeout') ?? '30'), args.includes('--receivers'));
    case 'status': {
      const s = await fetchStatus(loadConfig(args));
      console.log(args.includes('--json') ? JSON.stringify(s, null, 2) : `agent ${s.version}, ${s.problems.length} problem(s)`);
      return s.problems.length > 0 ? 1 : 0;
    }
    default:
      console.error('usage: xpears-agent start|migrate|health|status|version --config FILE');
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => { if (code !== 0) process.exitCode = code; }, (err: Error) => {
  console.error(`xpears-agent: ${err.message}`);
  process.exitCode = 1;
});
