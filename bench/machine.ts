// The machine a benchmark ran on, printed first by every benchmark so that figures are never read without it.
import { cpus, totalmem, release, loadavg, type as osType } from 'node:os';
import { pathToFileURL } from 'node:url';

/** One line naming the CPU, cores, memory, Node and kernel. */
export function machineLine(): string {
  const cpu = cpus();
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  return `machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${gib} GiB RAM, Node ${process.version}, ${osType()} ${release()}`;
}

/** The 1/5/15-minute load averages: on a shared machine, how much of the CPU the benchmark could have had. */
export function loadLine(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${cpus().length} cores)`;
}

/** Prints the machine line and the current load; every benchmark calls this first. */
export function printMachine(): void {
  console.log(machineLine());
  console.log(loadLine());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printMachine();
