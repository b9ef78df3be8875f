// Every configuration example the docs and config/ show is checked with `xpears config check`'s own code, so a
// documented setting the strict schemas refuse fails here, not at a reader's start-up. A fenced ```yaml / ```json
// block in docs/ or README.md is an agent's or collector's configuration (guessed from its keys as `config check`
// does) or a triage rules file (`rules:`); a block that shows one section's contents says so on the line before the
// fence: `<!-- config-check: collector.calendar -->`; one that is no configuration: `<!-- config-check: none -->`.
// A fragment is checked on top of the least a file needs (the agent's collector URL and token, notify's SMTP server
// and sender), so it passes on its own keys and fails on any key or value the schema refuses.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigValue, guessConfigKind } from '../../bin/config-check.js';
import { parseConfigText } from '../../config/load.js';
import { loadTriageRules } from '../../collector/triage/rules.js';
import { ROOT } from '../e2e/harness.js';

interface Example { file: string; line: number; lang: string; text: string; marker: string | undefined }

const FENCE = /^```(yaml|yml|json)\s*$/;
const MARKER = /^<!--\s*config-check:\s*([a-z.]+)\s*-->\s*$/;

/** The fenced YAML/JSON blocks of a Markdown file, with the marker on the line before each (if any). */
export function fencedExamples(file: string, markdown: string): Example[] {
  const lines = markdown.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${i + 1}: a fence that never closes`);
    const marker = i > 0 ? MARKER.exec(lines[i - 1]!.trim())?.[1] : undefined;
    out.push({ file, line: i + 1, lang: open[1]!, text: lines.slice(i + 1, end).join('\n'), marker });
    i = end;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` under `value`: keys the example sets win; only missing ones are filled in. */
function under(base: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(value)) out[k] = isObject(v) && isObject(base[k]) ? under(base[k], v) : v;
  return out;
}

const AGENT_BASE = { collector: { url: 'https://collector.example:8443', tokenFile: '/etc/xpears/agent.token' }, receivers: {} };
const NOTIFY_BASE = { smtp: { host: 'smtp.example' }, from: { address: 'cas@example.com' } };

/** Checks one example as `config check` would; throws what it would print. Returns what it was checked as. */
export function checkExample(example: Pick<Example, 'file' | 'line' | 'lang' | 'text' | 'marker'>): string {
  const where = `${example.file}:${example.line}`;
  if (example.marker === 'none') return 'none';
  let value = parseConfigText(example.text, `${where}.${example.lang}`);
  if (example.marker?.startsWith('collector.')) value = { [example.marker.slice('collector.'.length)]: value };
  if (!isObject(value)) throw new Error(`${where}: not a mapping; mark it <!-- config-check: none --> if it is no configuration`);
  if ('rules' in value && example.marker === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'docs-rules-'));
    try {
      writeFileSync(join(dir, 'rules.yaml'), example.text);
      loadTriageRules(join(dir, 'rules.yaml'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return 'rules';
  }
  const agentLike = 'receivers' in value || 'forwarder' in value || ('collector' in value && isObject(value.collector) && 'url' in value.collector);
  const kind = example.marker === 'agent' || (example.marker === undefined && agentLike) ? 'agent' : 'collector';
  if (kind === 'agent') value = under(AGENT_BASE, value);
  else if (isObject(value.notify)) value = { ...value, notify: under(NOTIFY_BASE, value.notify) };
  checkConfigValue(value, where, kind);
  return kind;
}

const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const examples = docs.flatMap((file) => fencedExamples(file, readFileSync(join(ROOT, file), 'utf8')));
const exampleFiles = readdirSync(join(ROOT, 'config')).filter((f) => /\.example\.(ya?ml|json)$/.test(f)).map((f) => `config/${f}`);

describe('configuration examples in docs/ and config/', () => {
  it('finds the examples (the extraction itself works)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(exampleFiles).toEqual(expect.arrayContaining(['config/agent.example.yaml', 'config/collector.example.yaml']));
  });

  it.each(examples.map((e) => [`${e.file}:${e.line}`, e] as const))('%s is accepted by config check', (_where, example) => {
    expect(() => checkExample(example)).not.toThrow();
  });

  it.each(exampleFiles)('%s is a whole valid file, with no fragment base', (file) => {
    const value = parseConfigText(readFileSync(join(ROOT, file), 'utf8'), file);
    expect(checkConfigValue(value, file)).toBe(guessConfigKind(value));
  });

  it('would catch what docs/tickets.md used to show (tickets.language, tickets.levels)', () => {
    const old = { file: 'old', line: 1, lang: 'yaml', marker: undefined,
      text: 'tickets:\n  language: es\n  levels:\n    L2: []\n' };
    expect(() => checkExample(old)).toThrow(/tickets\.language: unknown setting[\s\S]*tickets\.levels: unknown setting/);
  });

  it('would catch a misspelt key in an agent fragment and a ticket route to an unknown webhook', () => {
    expect(() => checkExample({ file: 'x', line: 1, lang: 'yaml', marker: undefined, text: 'receivers:\n  smtp:\n    prot: 25\n' }))
      .toThrow(/receivers\.smtp\.prot: unknown setting/);
    expect(() => checkExample({ file: 'x', line: 1, lang: 'yaml', marker: undefined, text: 'notify:\n  tickets:\n    webhooks: [{ webhook: nope }]\n' }))
      .toThrow(/notify\.tickets\.webhooks\.0\.webhook: no webhook "nope"/);
  });
});
