// What an agent loads: only the receivers it is configured with. Checked in a fresh process, where nothing else has
// loaded them.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const run = promisify(execFile);
const here = (file: string) => pathToFileURL(join(import.meta.dirname, file)).href;

// Records every module the child resolves (ESM or CommonJS, through a resolve hook), so a package counts as loaded
// whatever its format. The hook runs on its own thread and reports through a MessagePort.
const RECORDER = `
  let port;
  export function initialize(data) { port = data.port; }
  export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }
`;

/** Starts an agent with `receivers` in a child process; returns the npm packages it has loaded. */
async function packagesLoadedBy(receivers: Record<string, unknown>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-agent-modules-'));
  try {
    const script = join(dir, 'start.mts');
    writeFileSync(join(dir, 'recorder.mjs'), RECORDER);
    writeFileSync(join(dir, 'last.mjs'), 'export {};');
    writeFileSync(script, `
      import { register, createRequire } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const urls = new Set();
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (u) => urls.add(u));
      register(${JSON.stringify(pathToFileURL(join(dir, 'recorder.mjs')).href)}, { data: { port: port2 }, transferList: [port2] });
      const { startAgent } = await import(${JSON.stringify(here('index.ts'))});
      const { agentConfigSchema } = await import(${JSON.stringify(here('config.ts'))});
      const { silentLogger } = await import(${JSON.stringify(here('../lib/logger.ts'))});
      const { systemClock } = await import(${JSON.stringify(here('../lib/clock.ts'))});
      const config = agentConfigSchema.parse({ dataDir: ${JSON.stringify(join(dir, 'data'))}, status: { port: 0 },
        collector: { url: 'http://127.0.0.1:9', token: 'xpr_test_' + 'x'.repeat(30) }, receivers: ${JSON.stringify(receivers)} });
      const agent = await startAgent(config, { logger: silentLogger(), clock: systemClock });
      // Everything resolved so far has been reported once this last import's report arrives.
      await import(${JSON.stringify(pathToFileURL(join(dir, 'last.mjs')).href)});
      while (![...urls].some((u) => u.endsWith('/last.mjs'))) await new Promise((r) => setTimeout(r, 10));
      const paths = [...urls, ...Object.keys(createRequire(import.meta.url).cache)];
      const names = paths.map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k)?.[1]);
      console.log(JSON.stringify([...new Set(names.filter(Boolean))]));
      await agent.stop();
      port1.close();
    `);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { cwd: join(import.meta.dirname, '..'), timeout: 30_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('agent start', () => {
  it('loads the SNMP receiver only, without smtp-server or mailparser, when only SNMP is configured', async () => {
    const loaded = await packagesLoadedBy({ snmp: { address: '127.0.0.1', port: 0, communities: ['c'] } });
    expect(loaded).toContain('net-snmp');
    expect(loaded).toContain('better-sqlite3');
    for (const heavy of ['smtp-server', 'mailparser']) expect(loaded).not.toContain(heavy);
  });

  it('loads the SMTP receiver when it is configured', async () => {
    const loaded = await packagesLoadedBy({ smtp: { host: '127.0.0.1', port: 0, recipients: { addresses: ['alerts@relay.example'] } } });
    expect(loaded).toContain('smtp-server');
    expect(loaded).not.toContain('net-snmp');
  });
});
