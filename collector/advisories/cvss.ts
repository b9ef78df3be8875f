// CVSS v3.0/v3.1 base score from a vector string (FIRST's specification, section 7), and the qualitative scale
// that maps a score onto our risk levels. Pure; v4.0 vectors need FIRST's lookup tables and are not computed.
import type { RiskLevel } from './types.js';

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;
// Privileges Required weighs more when the scope changes.
const PR = { U: { N: 0.85, L: 0.62, H: 0.27 }, C: { N: 0.85, L: 0.68, H: 0.5 } } as const;

/** The CVSS 3.x vector in a text, e.g. "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", if any. */
export function findCvss3Vector(text: string): string | undefined {
  return /CVSS:3\.[01]\/(?:[A-Z]{1,3}:[A-Z]\/?)+/.exec(text)?.[0]?.replace(/\/$/, '');
}

/** The base score of a CVSS 3.x vector, or undefined when a base metric is missing or unknown. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = /^CVSS:3\.([01])\/(.+)$/.exec(vector.trim());
  if (!m) return undefined;
  const minor = m[1];
  const metrics = new Map<string, string>();
  for (const part of (m[2] ?? '').split('/')) {
    const [k, v] = part.split(':');
    if (k && v) metrics.set(k, v);
  }
  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const av = pick(WEIGHTS.AV, metrics.get('AV'));
  const ac = pick(WEIGHTS.AC, metrics.get('AC'));
  const pr = pick(PR[scope], metrics.get('PR'));
  const ui = pick(WEIGHTS.UI, metrics.get('UI'));
  const c = pick(WEIGHTS.CIA, metrics.get('C'));
  const i = pick(WEIGHTS.CIA, metrics.get('I'));
  const a = pick(WEIGHTS.CIA, metrics.get('A'));
  if ([av, ac, pr, ui, c, i, a].some((w) => w === undefined)) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  if (impact <= 0) return 0;
  const raw = scope === 'U' ? Math.min(impact + exploitability, 10) : Math.min(1.08 * (impact + exploitability), 10);
  return minor === '1' ? roundUp31(raw) : Math.ceil(raw * 10) / 10;
}

function pick<T extends Record<string, number>>(table: T, key: string | undefined): number | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}

// CVSS 3.1 Appendix A: round up to one decimal without floating-point surprises (e.g. 4.000000000000001 → 4.0).
function roundUp31(value: number): number {
  const intInput = Math.round(value * 100_000);
  return intInput % 10_000 === 0 ? intInput / 100_000 : (Math.floor(intInput / 10_000) + 1) / 10;
}

/** The qualitative severity of a CVSS score (v3 and v4 share it): 9.0+ critical, 7.0+ high, 4.0+ medium, >0 low. */
export function riskOfScore(score: number): RiskLevel {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
