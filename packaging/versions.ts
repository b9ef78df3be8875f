// Agent versions against the newest package: `xpears agent list --outdated` lists the agents to upgrade.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Compares two dotted versions numerically (1.10.0 > 1.9.2); a pre-release suffix sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => { const [core, pre] = v.split('-', 2) as [string, string | undefined]; return { nums: core.split('.').map((n) => Number(n) || 0), pre }; };
  const x = parse(a), y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** The newest agent package: the highest version among out/packages' files, or this checkout's version. */
export function newestPackageVersion(checkout: string): string {
  let repo = checkout;
  // From dist/ (npm run build) the checkout is one level up.
  if (!existsSync(join(repo, 'package.json'))) repo = join(repo, '..');
  let newest = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
  let files: string[] = [];
  try { files = readdirSync(join(repo, 'out', 'packages')); } catch { /* nothing built yet */ }
  for (const f of files) {
    const m = /^xpears-agent[-_](\d+\.\d+\.\d+(?:-[\w.]+)?)[-_]/.exec(f);
    if (m && compareVersions(m[1]!, newest) > 0) newest = m[1]!;
  }
  return newest;
}
