// Reads a configuration file (JSON or YAML), validates it with a strict zod schema and reports every problem with
// its dotted path and a hint. The validated value is frozen: the rest of the code receives it read-only.
import { readFileSync, existsSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { XpearsError } from '../lib/errors.js';

/** One problem found in a configuration. */
export interface ConfigProblem {
  path: string;
  message: string;
  hint?: string;
}

type Issue = z.core.$ZodIssue;

function hintFor(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'unrecognized_keys': return 'remove it, or check its spelling against the commented examples in config/';
    case 'invalid_type': return issue.input === undefined ? 'this setting is required' : `expected ${issue.expected}`;
    case 'invalid_value': return `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small': return `minimum ${String(issue.minimum)}`;
    case 'too_big': return `maximum ${String(issue.maximum)}`;
    default: return undefined;
  }
}

/** Turns zod issues into problems a person can act on, one per offending key. */
export function describeIssues(issues: readonly Issue[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: base ? `${base}.${key}` : key, message: 'unknown setting', hint: hintFor(issue) });
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(...describeIssues(issue.errors.flat()).map((p) => ({ ...p, path: p.path || base })));
      continue;
    }
    out.push({ path: base || '(root)', message: issue.message, hint: hintFor(issue) });
  }
  return out;
}

/** Formats problems as lines: "path: message (hint)". */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`).join('\n');
}

/** Parses the text of a configuration file by its extension. */
export function parseConfigText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  try {
    return ext === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new XpearsError('CONFIG_INVALID', `${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      [{ path: '(file)', message: (err as Error).message }]);
  }
}

/** Validates a configuration value; throws CONFIG_INVALID listing every problem. */
export function validateConfig<S extends z.ZodType>(schema: S, value: unknown, source: string): Readonly<z.infer<S>> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const problems = describeIssues(r.error.issues);
    throw new XpearsError('CONFIG_INVALID', `${source} has ${problems.length} problem(s):\n${formatProblems(problems)}`, problems);
  }
  return deepFreeze(r.data);
}

/** Reads and validates a configuration file. */
export function loadConfigFile<S extends z.ZodType>(schema: S, file: string): Readonly<z.infer<S>> {
  if (!existsSync(file)) throw new XpearsError('CONFIG_NOT_FOUND', `the configuration file ${file} was not found`);
  return validateConfig(schema, parseConfigText(readFileSync(file, 'utf8'), file), file);
}

/** Freezes a validated configuration value and everything inside it. */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
