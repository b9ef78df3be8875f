// The packaging tests' builds (agent bundles and .debs), cached under out/cache/test-builds/ and keyed by what they
// are built from: the version, the extra migration, the Node runtime and a hash of every source the bundle and the
// package read (agent/, lib/, config/, protocol/, packaging/, package-lock.json, docs/install-agent.md). A change to
// any of them builds again; an unchanged tree reuses the very bytes it would build, so the tests lose nothing.
// The tests of `npm run package` itself (linux-package, windows-zip) always build. XPEARS_PACKAGING_TEST_CACHE=off
// builds everything afresh.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../../packaging/bundle.js';
import { CACHE_DIR, NODE_VERSION } from '../../packaging/runtime.js';

const DIR = join(CACHE_DIR, 'test-builds');
const SOURCES = ['agent', 'lib', 'config', 'protocol', 'packaging', 'package-lock.json', 'docs/install-agent.md'];

function files(path: string, out: string[] = []): string[] {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (entry !== 'node_modules') files(join(path, entry), out);
  } else {
    out.push(path);
  }
  return out;
}

let memo: string | undefined;
/** A short hash of the sources and the runtime version. */
export function sourceHash(): string {
  if (memo) return memo;
  const h = createHash('sha256').update(NODE_VERSION);
  for (const file of SOURCES.flatMap((s) => files(join(REPO, s)))) h.update(`\0${relative(REPO, file)}\0`).update(readFileSync(file));
  memo = h.digest('hex').slice(0, 16);
  return memo;
}

/** A short hash of a text (an extra migration's SQL), for a cache key. */
export const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** The cached file named `name` (the source hash is added), built by `build(into)` on a miss; entries of other
 *  source hashes are removed then. */
export async function cachedBuild(name: string, build: (into: string) => Promise<void>): Promise<string> {
  const off = process.env.XPEARS_PACKAGING_TEST_CACHE === 'off';
  const src = sourceHash();
  const file = join(DIR, `${src}-${name}`);
  if (!off && existsSync(file)) return file;
  mkdirSync(DIR, { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  try {
    await build(partial);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  for (const entry of readdirSync(DIR)) if (!entry.startsWith(`${src}-`) && !entry.includes('.partial-')) rmSync(join(DIR, entry), { force: true });
  return file;
}
