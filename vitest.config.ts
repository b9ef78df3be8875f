import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const ROOT = import.meta.dirname;
const SKIP = new Set(['node_modules', 'dist', 'data', '.scratch', '.git']);

function testFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) testFiles(path, out);
    else if (entry.name.endsWith('.test.ts')) out.push(relative(ROOT, path));
  }
  return out;
}

// What makes a test more than a unit test: a socket, a child process or worker thread, a Debian tool, or a helper
// that brings one (the SMTP sink, the feed server, the proxy, the test collector, the PDF read-back).
const INTEGRATION = new RegExp([
  'node:(net|dgram|http|https|tls|child_process|worker_threads)', 'smtp-server', 'nodemailer', 'undici', '\\.listen\\(',
  'execFile', 'spawn\\(', 'fork\\(', 'pdfText', 'pdfInfo', 'saveArtifacts', 'openssl', 'startCollector', 'smtp-sink',
  'feed-server', 'helpers/proxy', 'race-worker', 'PreparePool', 'startCheckpointer', 'testCollector', 'Fastify',
  '\\.inject\\(', 'e2e/harness', 'imapflow', 'helpers/dovecot',
].join('|'));

/** Which project a test file belongs to: e2e (test/e2e/), integration (see INTEGRATION) or unit (the rest). */
function projectOf(file: string): 'unit' | 'integration' | 'e2e' {
  if (file.startsWith(join('test', 'e2e'))) return 'e2e';
  return INTEGRATION.test(readFileSync(join(ROOT, file), 'utf8')) ? 'integration' : 'unit';
}

const files = testFiles(ROOT);
const of = (project: string) => files.filter((f) => projectOf(f) === project);

// `npm test` runs the three projects; `npm run test:unit` the first alone (seconds: no process, socket or tool).
export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'dist/**', 'data/**', '.scratch/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default in a run is one worker fewer than the CPUs: one on the 2-core CI machine, so the files ran one
    // after another although most of their time is spent waiting on sockets, child processes and browsers. Two
    // workers halve the wall time there; tests share nothing but caches written by rename (packaging) and ports they
    // ask the kernel for.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: (['unit', 'integration', 'e2e'] as const).map((name) => ({
      extends: true as const,
      test: { name, include: of(name) },
    })),
  },
});
