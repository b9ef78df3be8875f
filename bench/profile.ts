// Where a process's CPU goes, by pipeline stage: an in-process CPU profile (node:inspector), with the time under
// named functions summed (inclusive), so a benchmark can print a per-envelope cost breakdown.
import { Session } from 'node:inspector/promises';
import type { Profiler } from 'node:inspector';

/** A stage of the breakdown: the functions whose inclusive time counts for it (a frame is counted once per sample). */
export interface Stage { name: string; functions: readonly string[] }

/** Share of the sampled busy time (idle excluded) spent in each stage; stages may nest, so shares may overlap. */
export type Breakdown = { name: string; share: number }[];

/** Starts sampling this process; the returned function stops and sums the stages. */
export async function startProfile(stages: readonly Stage[]): Promise<() => Promise<Breakdown>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return sumStages(profile, stages);
  };
}

function sumStages(profile: Profiler.Profile, stages: readonly Stage[]): Breakdown {
  const parent = new Map<number, number>();
  const byId = new Map<number, Profiler.ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const totals = new Map<string, number>(stages.map((s) => [s.name, 0]));
  let busy = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i] ?? 0;
    const leaf = byId.get(samples[i]!);
    if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
    busy += dt;
    const names = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) names.add(byId.get(id)!.callFrame.functionName);
    for (const s of stages) if (s.functions.some((f) => names.has(f))) totals.set(s.name, totals.get(s.name)! + dt);
  }
  return stages.map((s) => ({ name: s.name, share: busy > 0 ? totals.get(s.name)! / busy : 0 }));
}
