// `npm run package`: the agent's self-contained packages, from this repository and the npm registry alone, into
// out/packages/: xpears-agent-<v>-linux-x64.tar.gz, xpears-agent_<v>_amd64.deb and xpears-agent-<v>-win-x64.zip.
//   npm run package -- [--version V] [--out DIR] [--only linux|windows] [--extra-migration-sql SQL]
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleAgent, REPO } from './bundle.js';
import { fetchDownloads, NODE_VERSION } from './runtime.js';
import { buildDeb, buildTarball } from './linux.js';
import { buildWindowsZip, windowsExampleConfig } from './windows.js';

/** What one run builds. */
export interface PackageOptions {
  version: string;
  outDir: string;
  only?: 'linux' | 'windows';
  extraMigrationSql?: string;
  /** A file-name suffix (enrolled packages: -<customer>). */
  suffix?: string;
  enrolment?: { linux: { config: string; token: string }; windows: { config: string; token: string } };
}

/** The built files. */
export interface BuiltPackages {
  tarball?: string;
  deb?: string;
  zip?: string;
  bundleBytes: number;
}

/** The example configuration a package carries, with the packaged paths. */
export function linuxExampleConfig(): string {
  return readFileSync(join(REPO, 'config/agent.example.yaml'), 'utf8').replace('tokenFile: /etc/xpears/agent.token', 'tokenFile: /etc/xpears-agent/token');
}

/** Builds the packages; downloads the runtimes and WinSW on first use (out/cache). */
export async function buildPackages(o: PackageOptions): Promise<BuiltPackages> {
  const downloads = fetchDownloads();
  const work = join(REPO, 'out', 'work', `${o.version}${o.suffix ?? ''}-${process.pid}`);
  mkdirSync(work, { recursive: true });
  mkdirSync(o.outDir, { recursive: true });
  try {
    const bundle = join(work, 'agent.mjs');
    const b = await bundleAgent({ outFile: bundle, version: o.version, nodeMajor: Number(NODE_VERSION.split('.')[0]), extraMigrationSql: o.extraMigrationSql });
    const docs = join(REPO, 'docs/install-agent.md');
    const example = linuxExampleConfig();
    const out: BuiltPackages = { bundleBytes: b.bytes };
    if (o.only !== 'windows') {
      const inputs = { version: o.version, bundle, nodeTarball: downloads.nodeLinux, exampleConfig: example, docs, enrolment: o.enrolment?.linux };
      out.tarball = buildTarball(o.outDir, work, inputs, o.suffix);
      if (!o.enrolment) out.deb = buildDeb(o.outDir, work, inputs);
    }
    if (o.only !== 'linux') {
      out.zip = buildWindowsZip(o.outDir, work, { version: o.version, bundle, nodeTarball: downloads.nodeWindows, winswTarball: downloads.winsw, licenseTarball: downloads.nodeLinux,
        exampleConfig: windowsExampleConfig(example), docs, enrolment: o.enrolment?.windows }, o.suffix);
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const version = arg('--version') ?? (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  const only = arg('--only') as PackageOptions['only'];
  buildPackages({ version, outDir: resolve(arg('--out') ?? join(REPO, 'out/packages')), only, extraMigrationSql: arg('--extra-migration-sql') })
    .then((r) => {
      for (const f of [r.tarball, r.deb, r.zip]) if (f) console.log(`built ${f}`);
      console.log(`agent bundle: ${(r.bundleBytes / 1024 / 1024).toFixed(1)} MiB; Node.js ${NODE_VERSION} runtime`);
    }, (err: Error) => {
      console.error(`package: ${err.message}`);
      process.exitCode = 1;
    });
}
