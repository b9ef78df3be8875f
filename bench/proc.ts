// What the kernel says about a process: peak and current resident memory, CPU time.
import { readdirSync, readFileSync } from 'node:fs';

/** VmHWM (peak RSS) and VmRSS of a process, in MiB; null when it is gone. */
export function memoryOf(pid: number): { peakMiB: number; rssMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { peakMiB: Math.round(kib('VmHWM') / 1024), rssMiB: Math.round(kib('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

/** User + system CPU seconds a process has used so far (its threads included). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted from after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of one thread of a process (`/proc/<pid>/task/<tid>`; the main thread's tid is the pid). */
export function threadCpuSecondsOf(pid: number, tid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of every thread of a process, by thread id. */
export function threadsCpuSecondsOf(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), threadCpuSecondsOf(pid, Number(tid)));
  } catch {
    // the process is gone
  }
  return out;
}
