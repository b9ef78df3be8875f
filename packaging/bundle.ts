// Bundles the packaged agent into one ESM file: packaging/agent-main.ts and what it imports (the agent, config
// loading, lib), with 'better-sqlite3' replaced by packaging/sqlite-compat.ts (node:sqlite). No native module, no
// collector code: the bundle runs on the package's own Node runtime with nothing beside it.
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';

/** Where the repository is (from dist/packaging after `npm run build`, one level further up). */
export const REPO = existsSync(resolve(import.meta.dirname, '..', 'package.json')) ? resolve(import.meta.dirname, '..') : resolve(import.meta.dirname, '..', '..');

/** What a bundle is built with. */
export interface BundleOptions {
  outFile: string;
  version: string;
  /** SQL of an extra outbox schema step (the upgrade test's N+1 with a changed schema). */
  extraMigrationSql?: string;
  /** Node major of the runtime it will run on. */
  nodeMajor: number;
  /** Another entry than packaging/agent-main.ts (the tests' workers). */
  entry?: string;
}

/** Builds the bundle; throws when it would pull in the collector or a native module. */
export async function bundleAgent(o: BundleOptions): Promise<{ bytes: number; inputs: string[] }> {
  const result = await build({
    entryPoints: [o.entry ?? join(REPO, 'packaging/agent-main.ts')],
    outfile: o.outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${o.nodeMajor}`,
    minify: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
    alias: { 'better-sqlite3': join(REPO, 'packaging/sqlite-compat.ts') },
    define: {
      XPEARS_PACKAGE_VERSION: JSON.stringify(o.version),
      XPEARS_EXTRA_MIGRATION: JSON.stringify(o.extraMigrationSql ?? ''),
    },
    // CommonJS dependencies bundled into ESM still call require() for Node's own modules.
    banner: { js: "import { createRequire as __xpearsCreateRequire } from 'node:module'; const require = __xpearsCreateRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const bad = inputs.filter((i) => i.startsWith('collector/') || i.includes('better-sqlite3') || i.endsWith('.node'));
  if (bad.length > 0) throw new Error(`the agent bundle must not include ${bad.join(', ')}`);
  return { bytes: readFileSync(o.outFile).length, inputs };
}
