// Child processes of the benchmarks: forked with tsx, spoken to over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const HERE = import.meta.dirname;

/** Node options of the collector as docs/operations.md says to run it (BENCH_COLLECTOR_NODE_OPTIONS overrides). */
export const COLLECTOR_NODE_OPTIONS = (process.env.BENCH_COLLECTOR_NODE_OPTIONS ?? '--max-semi-space-size=64').split(' ').filter(Boolean);

/** Forks bench/<file> under tsx with an IPC channel; `nodeOptions` go before the script. */
export function forkBench(file: string, args: string[] = [], profileDir?: string, nodeOptions: readonly string[] = []): ChildProcess {
  const prof = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  return fork(resolve(HERE, file), args, { execArgv: [...nodeOptions, '--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The next message from `child` for which `pick` returns a value; rejects if the child exits first or time runs out. */
export function nextMessage<T>(child: ChildProcess, pick: (m: unknown) => T | undefined, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(new Error(`no answer from child ${child.pid} within ${timeoutMs} ms`)); }, timeoutMs);
    const onMessage = (m: unknown): void => {
      const v = pick(m);
      if (v !== undefined) { cleanup(); resolvePromise(v); }
    };
    const onExit = (code: number | null): void => { cleanup(); reject(new Error(`child ${child.pid} exited (${code}) before answering`)); };
    function cleanup(): void { clearTimeout(timer); child.off('message', onMessage); child.off('exit', onExit); }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Sends `msg` and waits for the answer picked by `pick`. */
export function ask<T>(child: ChildProcess, msg: object, pick: (m: unknown) => T | undefined, timeoutMs?: number): Promise<T> {
  const answer = nextMessage(child, pick, timeoutMs);
  child.send(msg);
  return answer;
}

/** A field of an IPC message, if the message is an object that has it. */
export function field<T>(name: string): (m: unknown) => T | undefined {
  return (m) => (typeof m === 'object' && m !== null && name in m ? (m as Record<string, T>)[name] : undefined);
}

/** Waits for a child to exit, killing it after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
