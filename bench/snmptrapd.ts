// Debian's snmptrapd as the reference receiver: one run logging one line per trap to a file (no fsync).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { udpSocketStats } from './udp-stats.js';

/** A running snmptrapd. */
export interface TrapDaemon {
  port: number;
  logFile: string;
  /** Stops it (SIGTERM flushes the log) and returns the distinct counters it logged and the socket's drops. */
  stop(): Promise<{ lines: number; uniqueCounters: number; socketDrops: number }>;
}

/** Starts snmptrapd on 127.0.0.1:port accepting `community`; resolves once its socket is bound. With
 *  `receiveBufferBytes` it asks for that socket buffer (`serverRecvBuf`), as the agent does; else the kernel default. */
export async function startSnmptrapd(dir: string, port: number, community: string, receiveBufferBytes?: number): Promise<TrapDaemon> {
  const conf = join(dir, `snmptrapd-${port}.conf`);
  const logFile = join(dir, `snmptrapd-${port}.log`);
  writeFileSync(conf, `authCommunity log ${community}\n${receiveBufferBytes ? `[snmp] serverRecvBuf ${receiveBufferBytes}\n` : ''}`);
  writeFileSync(logFile, '');
  const child: ChildProcess = spawn('snmptrapd', ['-f', '-Lf', logFile, '-C', '-c', conf, '-n', '-On', '-m', '', '-F', '%v\\n', `udp:127.0.0.1:${port}`], { stdio: 'ignore' });
  const end = Date.now() + 10_000;
  while (udpSocketStats(port) === null) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`snmptrapd did not bind udp 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port, logFile,
    async stop() {
      const socketDrops = udpSocketStats(port)?.drops ?? 0;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      const seen = new Set<string>();
      let lines = 0;
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        const m = /seq=(\d+)/.exec(line);
        if (m) { lines += 1; seen.add(m[1]!); }
      }
      return { lines, uniqueCounters: seen.size, socketDrops };
    },
  };
}
