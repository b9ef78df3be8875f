// Debian's Firefox ESR driven over WebDriver BiDi, for the console's Firefox tests. playwright-core's Firefox support
// speaks a newer BiDi than ESR 153 (it sends emulation.setMediaFeaturesOverride, unknown there), and Playwright's own
// Firefox build is a download, which the project never does; so this is a small client of the W3C protocol itself:
// a session, one browsing context, navigation, script evaluation, keyboard input, screenshots and the page's log.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';

/** The Debian package's binary (.ci/run installs firefox-esr). */
export const FIREFOX = '/usr/bin/firefox-esr';

/** W3C WebDriver key values for the keys the tests press. */
export const Key = { Tab: '\uE004', Enter: '\uE007' } as const;

/** A log entry the page produced (console messages and uncaught errors). */
export interface LogEntry { level: string; text: string; type: string }

interface Pending { resolve(value: unknown): void; reject(err: Error): void; method: string }

// Preferences that keep a test browser quiet and offline: no update, telemetry, remote settings or first-run pages.
const PREFS: Record<string, string | number | boolean> = {
  'app.update.disabledForTesting': true,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'intl.accept_languages': 'es-AR, es',
};

/** One Firefox process with one tab. */
export class Firefox {
  readonly log: LogEntry[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private context = '';

  private constructor(private readonly child: ChildProcess, private readonly ws: WebSocket, private readonly profile: string) {
    ws.addEventListener('message', (ev) => this.onMessage(String(ev.data)));
  }

  /** Starts Firefox headless on a fresh profile and opens a BiDi session; the viewport is a laptop's. */
  static async launch(viewport = { width: 1366, height: 768 }): Promise<Firefox> {
    const profile = mkdtempSync(join(tmpdir(), 'xpears-firefox-'));
    writeFileSync(join(profile, 'user.js'), Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
    const child = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0', 'about:blank'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`Firefox did not open its BiDi port in 60 s; it printed: ${seen.slice(-500)}`)), 60_000);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', (err) => { clearTimeout(timer); reject(new Error(`${FIREFOX} could not start (${err.message}): apt-get install firefox-esr (.ci/run does)`)); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Firefox exited (${code}) before its BiDi port opened: ${seen.slice(-500)}`)); });
    });
    const ws = new WebSocket(`${url}/session`);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error(`could not connect to Firefox's BiDi port at ${url}`)), { once: true });
    });
    const ff = new Firefox(child, ws, profile);
    await ff.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
    await ff.send('session.subscribe', { events: ['log.entryAdded'] });
    const tree = await ff.send('browsingContext.getTree', {}) as { contexts: { context: string }[] };
    ff.context = tree.contexts[0]!.context;
    await ff.send('browsingContext.setViewport', { context: ff.context, viewport });
    return ff;
  }

  /** The browser's version, as the session reports it. */
  version(): Promise<string> {
    return this.evaluate<string>('navigator.userAgent');
  }

  /** Loads `url` and waits for the load event. */
  async goto(url: string): Promise<void> {
    await this.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  /** Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const res = await this.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (${expression})))()`, target: { context: this.context }, awaitPromise: true,
    }) as { type: string; result?: { value?: string }; exceptionDetails?: { text: string } };
    if (res.type !== 'success') throw new Error(`page script failed: ${res.exceptionDetails?.text ?? 'unknown error'}`);
    const json = res.result?.value;
    return (json === undefined ? undefined : JSON.parse(json)) as T;
  }

  /** Waits until the expression is truthy in the page (polling), or throws naming it. */
  async waitFor(expression: string, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (await this.evaluate<boolean>(`!!(${expression})`)) return;
      } catch { /* the page is between loads: ask again */ }
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Types text and presses keys, as a person at the keyboard would (each character a key down and up). */
  async keys(...parts: string[]): Promise<void> {
    const actions = [...parts.join('')].flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }]);
    await this.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /** Presses Tab until the focused element matches `test` (a JS expression over `el`); throws after `max` presses. */
  async tabTo(test: string, max = 80): Promise<number> {
    for (let n = 0; n <= max; n++) {
      if (await this.evaluate<boolean>(`((el) => !!el && (${test}))(document.activeElement)`)) return n;
      await this.keys(Key.Tab);
    }
    throw new Error(`no element matching ${test} within ${max} presses of Tab`);
  }

  /** Clicks the focused element with the pointer at its centre. Firefox ESR 153's BiDi keyboard reaches a focused
   *  button (keydown, keypress and keyup are dispatched) but never activates it, even on a bare HTML page without
   *  any script of ours; links and form fields do respond to it. So a button reached by Tab is pressed this way. */
  async clickFocused(): Promise<void> {
    const at = await this.evaluate<{ x: number; y: number }>(`(() => { const b = document.activeElement.getBoundingClientRect();
      return { x: Math.round(b.x + b.width / 2), y: Math.round(b.y + b.height / 2) }; })()`);
    await this.send('input.performActions', { context: this.context, actions: [{ type: 'pointer', id: 'mouse', actions: [
      { type: 'pointerMove', x: at.x, y: at.y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }] });
  }

  /** A PNG of the viewport. */
  async screenshot(): Promise<Buffer> {
    const res = await this.send('browsingContext.captureScreenshot', { context: this.context }) as { data: string };
    return Buffer.from(res.data, 'base64');
  }

  /** Ends the session and the process, and removes the profile. */
  async close(): Promise<void> {
    try { await Promise.race([this.send('browser.close', {}), new Promise((r) => setTimeout(r, 5_000))]); } catch { /* already closing */ }
    this.ws.close();
    if (this.child.exitCode === null) {
      await Promise.race([new Promise((r) => this.child.once('exit', r)), new Promise((r) => setTimeout(r, 5_000))]);
      this.child.kill('SIGKILL');
    }
    rmSync(this.profile, { recursive: true, force: true });
  }

  private send(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  private onMessage(data: string): void {
    const msg = JSON.parse(data) as { id?: number; type?: string; result?: unknown; error?: string; message?: string; method?: string; params?: LogEntry };
    if (msg.type === 'event') {
      if (msg.method === 'log.entryAdded' && msg.params) this.log.push({ level: msg.params.level, text: msg.params.text, type: msg.params.type });
      return;
    }
    const waiting = msg.id === undefined ? undefined : this.pending.get(msg.id);
    if (!waiting) return;
    this.pending.delete(msg.id!);
    if (msg.type === 'error') waiting.reject(new Error(`${waiting.method}: ${msg.error ?? ''} ${msg.message ?? ''}`.trim()));
    else waiting.resolve(msg.result);
  }
}
