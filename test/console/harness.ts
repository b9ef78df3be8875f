// The console's test bench: a real collector (HTTP on loopback, SQLite files, SMTP sink for its mail) with customer
// "acme" and a designated contact, engineers of every role, and a cookie-keeping HTTP client that logs in.
import { join } from 'node:path';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { AccountStore, type Role } from '../../collector/accounts/index.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, runCollector, tempDir } from '../e2e/harness.js';
import { startSmtpSink, type SmtpSink } from '../notify/smtp-sink.js';
import type { Page } from 'playwright-core';

/** The password every test engineer has. */
export const PASSWORD = 'contraseña-de-prueba-1';

/** A running bench. */
export interface ConsoleBench {
  dir: ReturnType<typeof tempDir>;
  collector: RunningCollector;
  sink: SmtpSink;
  accounts: AccountStore;
  agentToken: string;
  close(): Promise<void>;
}

/** Starts the bench with users lucia (l1), marcos (l1), rita (read-only), ana (lead). */
export async function startBench(): Promise<ConsoleBench> {
  const dir = tempDir('xpears-console-');
  const sink = await startSmtpSink();
  const dataDir = join(dir.path, 'collector');
  const { token } = await enrollAcme(dataDir);
  const reg = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  await reg.addContact('acme', { name: 'Carla Contacto', email: 'carla@acme.example', phone: '+54 11 4000-1234', language: 'es', products: ['ESET PROTECT Entry'] });
  const collector = await runCollector(collectorConfigFor(dataDir, 0, {
    notify: { smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false }, from: { address: 'cas@xpears.test', name: 'CAS' },
      webhooks: {}, onDuty: [], dispatch: { intervalMs: 200 } },
  }));
  const accounts = new AccountStore(collector.db, systemClock);
  const users: [string, string, Role][] = [['lucia', 'Lucía Pérez', 'l1'], ['marcos', 'Marcos Díaz', 'l1'], ['rita', 'Rita Solo Lectura', 'read-only'], ['ana', 'Ana Líder', 'lead']];
  for (const [login, name, role] of users) {
    if (!accounts.get(login)) await accounts.addUser({ login, name, email: `${login}@cas.example`, role, password: PASSWORD }, 'test');
  }
  return {
    dir, collector, sink, accounts, agentToken: token,
    async close() { await collector.stop(); await sink.close(); dir.cleanup(); },
  };
}

/** A minimal HTTP client that keeps cookies, for the console's non-browser tests. */
export class Client {
  private readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  /** A request; redirects are not followed (their Location is checked by the tests). */
  async req(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${this.base}${path}`, { method, headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      this.cookies.set(k!.trim(), v.join('='));
    }
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  /** Logs in; returns the status of the POST (303 on success). */
  async login(login: string, password = PASSWORD): Promise<number> {
    const page = await this.req('GET', '/console/login');
    const token = /name="_login" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return (await this.req('POST', '/console/login', { _login: token, login, password })).status;
  }

  /** The CSRF token in a page of the session. */
  static csrf(html: string): string {
    return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }
}

/** The ESET syslog line of a ransomware detection on `hostname` (the demo's sample: not stopped, a threat incident). */
export function ransomwareLine(hostname: string, threat = 'Win32/Filecoder.Akira.A'): string {
  const json = JSON.stringify({ event_type: 'Threat_Event', hostname, severity: 'Critical', threat_type: 'Trojan', threat_name: threat,
    scanner_id: 'Ransomware Shield', object_uri: 'file:///D:/Compartido/planillas.xlsx', action_taken: 'retained', threat_handled: false });
  return `<11>Nov 20 12:00:00 srv-eset ERAServer[5032]: ${json}`;
}

/** Posts one syslog envelope to the collector as the agent would (real HTTP, the agent's token). */
export async function postSyslog(bench: ConsoleBench, line: string): Promise<void> {
  const { uuidv7 } = await import('../../lib/ids.js');
  const envelope = { id: uuidv7(), capturedAt: new Date().toISOString(), source: { address: '10.20.30.40', port: 514 }, transport: 'syslog', syslog: { protocol: 'udp', line } };
  const res = await fetch(`${bench.collector.url}/v1/envelopes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.agentToken}` },
    body: JSON.stringify({ protocol: 1, envelopes: [envelope] }) });
  if (res.status !== 200) throw new Error(`the collector answered ${res.status}: ${await res.text()}`);
}

/** Signs `login` in on the console's login form in a browser page (at `base`/console) and waits for the queue. */
export async function signIn(page: Page, base: string, login: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.getByLabel(/Usuario/).fill(login);
  await page.getByLabel(/Contraseña/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.waitForURL(/\/console\/queue/);
}
