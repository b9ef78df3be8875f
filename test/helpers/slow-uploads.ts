// An attacker with no token, run as its own process (so its buffers are not counted in the collector's memory):
// opens slow uploads (full headers announcing a body just under 8 MiB, 1 MiB of it at once, then 1 KiB every 100 ms)
// and slow headers (a header line every 100 ms, never finished) to a collector, then prints, as one JSON line, what
// became of each socket. Prints "connected" once every socket is connected or already closed.
// Usage: node --import tsx test/helpers/slow-uploads.ts '{"port":8080,"uploads":100,"slowHeaders":100,"deadlineMs":10000}'
import { connect, type Socket } from 'node:net';

/** What became of one attacking socket. */
export interface SlowSocketOutcome {
  kind: 'upload' | 'headers';
  /** The status of the answer the collector sent, if any. */
  status: number | null;
  /** Milliseconds from connecting to the collector closing it; null if still open at the deadline. */
  closedAfterMs: number | null;
  /** Body bytes written before the close. */
  bodyBytesSent: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as { port: number; uploads: number; slowHeaders: number; deadlineMs: number };
const outcomes: SlowSocketOutcome[] = [];
const sockets: Socket[] = [];
let closed = 0;
let connected = false;
const total = args.uploads + args.slowHeaders;
const started = Date.now();

function open(kind: SlowSocketOutcome['kind']): Promise<void> {
  const o: SlowSocketOutcome = { kind, status: null, closedAfterMs: null, bodyBytesSent: 0 };
  outcomes.push(o);
  const s = connect({ host: '127.0.0.1', port: args.port });
  sockets.push(s);
  let timer: NodeJS.Timeout | undefined;
  let at = 0;
  s.on('error', () => undefined);
  s.on('data', (d) => { o.status ??= Number(/^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1] ?? 0); });
  s.on('close', () => { clearInterval(timer); o.closedAfterMs = at ? Date.now() - at : 0; closed++; maybeFinish(); });
  return new Promise((resolve) => {
    s.once('close', () => resolve());
    s.once('connect', () => {
      at = Date.now();
      if (kind === 'upload') {
        s.write('POST /v1/envelopes HTTP/1.1\r\nHost: collector\r\nContent-Type: application/json\r\n'
          + `Content-Length: ${8 * 1024 * 1024 - 1}\r\n\r\n`);
        const first = Buffer.alloc(1024 * 1024, 0x20);
        s.write(first, () => { o.bodyBytesSent += first.length; });
        timer = setInterval(() => { if (s.writable) s.write(Buffer.alloc(1024, 0x20), () => { o.bodyBytesSent += 1024; }); }, 100);
      } else {
        s.write('POST /v1/envelopes HTTP/1.1\r\nHost: collector\r\n');
        timer = setInterval(() => { if (s.writable) s.write(`X-Slow-${Date.now()}: x\r\n`); }, 100);
      }
      resolve();
    });
  });
}

const opening = [
  ...Array.from({ length: args.uploads }, () => open('upload')),
  ...Array.from({ length: args.slowHeaders }, () => open('headers')),
];
function finish(): void {
  const report = `${JSON.stringify({ elapsedMs: Date.now() - started, outcomes })}\n`;
  for (const s of sockets) { s.removeAllListeners('close'); s.destroy(); }
  process.stdout.write(report, () => process.exit(0));
}
function maybeFinish(): void {
  if (connected && closed === total) finish();
}
setTimeout(finish, args.deadlineMs);
await Promise.all(opening);
process.stdout.write('connected\n');
connected = true;
maybeFinish();
