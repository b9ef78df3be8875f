// Benchmark: the agent's SMTP and syslog receivers in front of the real durable Outbox, in their own process.
// SMTP: messages/s answered 250 (i.e. durable) for 20 concurrent raw-socket senders, each one session sending mail
// after mail (plain dialogue, no pipelining). Syslog: lines/s over TCP, newline framing, from the first byte sent to
// the last line durable, with every line counted in the outbox at the end (zero loss).
//   node --import tsx bench/receivers.bench.ts
//   env: BENCH_RUNS=2  BENCH_SMTP_SENDERS=20  BENCH_SMTP_SECONDS=10  BENCH_SYSLOG_LINES=200000
//        BENCH_SYSLOG_CONNECTIONS=4  BENCH_CPU_PROF=<dir> (profiles the receiving process)
// The same file is the receiving process when started with the argument `receivers`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { printMachine } from './machine.js';
import { forkBench, nextMessage, ask, field, stopChild } from './ipc.js';
import type { SmtpEnvelope, SyslogEnvelope } from '../protocol/envelope.js';
import { hasPri } from '../agent/receivers/syslog/message.js';

const runs = Number(process.env.BENCH_RUNS ?? 2);
const senders = Number(process.env.BENCH_SMTP_SENDERS ?? 20);
const smtpSeconds = Number(process.env.BENCH_SMTP_SECONDS ?? 10);
const syslogLines = Number(process.env.BENCH_SYSLOG_LINES ?? 200_000);
const syslogConnections = Number(process.env.BENCH_SYSLOG_CONNECTIONS ?? 4);
const SYSLOG_TARGET = 20_000;
const RECIPIENT = 'alertas@agent.bench.local';
const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

interface Ports { smtp: number; syslog: number }
interface Counts { cpuSeconds: number; written: number; rows: number; smtpReceived: number; smtpRejected: number; syslogReceived: number; syslogRejected: number }

// ---- the receiving process -------------------------------------------------------------------------------------
async function receivingProcess(dir: string): Promise<void> {
  const { Outbox } = await import('../agent/outbox/index.js');
  const { createSmtpReceiver, smtpReceiverConfigSchema } = await import('../agent/receivers/smtp/index.js');
  const { createSyslogReceiver, syslogReceiverConfigSchema } = await import('../agent/receivers/syslog/index.js');
  const { silentLogger } = await import('../lib/logger.js');
  const { systemClock } = await import('../lib/clock.js');
  const logger = silentLogger();
  const outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock: systemClock, logger, maxBytes: 20 * 1024 ** 3 });
  const smtp = createSmtpReceiver(
    smtpReceiverConfigSchema.parse({ port: 0, recipients: { addresses: [RECIPIENT] }, maxConnections: senders + 10 }),
    { sink: outbox, logger },
  );
  const syslog = createSyslogReceiver(syslogReceiverConfigSchema.parse({ tcp: { port: 0 }, maxConnections: syslogConnections + 10 }), { sink: outbox, logger });
  await smtp.start();
  await syslog.start();
  process.send?.({ ports: { smtp: smtp.address()?.port ?? 0, syslog: syslog.addresses().tcp?.port ?? 0 } satisfies Ports });
  const stop = async (): Promise<void> => {
    await smtp.stop();
    await syslog.stop();
    outbox.close();
    process.exit(0);
  };
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd !== 'counts') { void stop(); return; }
    const c = process.cpuUsage();
    const s = smtp.health();
    const l = syslog.health();
    const rows = outbox.database.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number;
    process.send?.({ counts: {
      cpuSeconds: (c.user + c.system) / 1e6, written: outbox.stats().written, rows,
      smtpReceived: s.received, smtpRejected: s.rejected, syslogReceived: l.received, syslogRejected: l.rejected,
    } satisfies Counts });
  });
  process.on('disconnect', () => { void stop(); });
}

// ---- load: captures from the fixture corpus ------------------------------------------------------------------------
function fixtureEnvelopes<T>(transport: string): T[] {
  const out: T[] = [];
  for (const dir of ['eset', 'symantec']) {
    for (const name of readdirSync(join(FIXTURES, dir)).filter((n) => n.endsWith('.json')).sort()) {
      const f = JSON.parse(readFileSync(join(FIXTURES, dir, name), 'utf8')) as { envelope: { transport: string } };
      if (f.envelope.transport === transport) out.push(f.envelope as T);
    }
  }
  return out;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');

// An RFC 5322 message as a console would send it, from an e-mail fixture; base64 bodies need no dot-stuffing.
function toMessage(e: SmtpEnvelope, n: number): string {
  const mail = e.smtp;
  const html = mail.text === undefined || mail.text.trim() === '';
  return [
    `From: ${mail.from ?? mail.mailFrom}`, `To: ${RECIPIENT}`, `Subject: =?UTF-8?B?${b64(mail.subject ?? '').replace(/\r\n/g, '')}?=`,
    `Date: ${new Date().toUTCString()}`, `Message-ID: <bench-${n}@console.bench.local>`, 'MIME-Version: 1.0',
    `Content-Type: text/${html ? 'html' : 'plain'}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '',
    b64((html ? mail.html : mail.text) ?? ''), '',
  ].join('\r\n');
}

// One SMTP reply at a time from a socket: lines until "NNN " (not "NNN-").
class ReplyReader {
  private buffer = '';
  private waiting: ((reply: string) => void)[] = [];
  private replies: string[] = [];
  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (line[3] === '-') continue;
        const w = this.waiting.shift();
        if (w) w(line); else this.replies.push(line);
      }
    });
  }
  next(): Promise<string> {
    const r = this.replies.shift();
    return r !== undefined ? Promise.resolve(r) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

async function smtpSender(port: number, messages: readonly string[], deadline: number, offset: number): Promise<{ accepted: number; refused: number }> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const replies = new ReplyReader(socket);
  const say = async (line: string, expect: string): Promise<boolean> => {
    socket.write(`${line}\r\n`);
    return (await replies.next()).startsWith(expect);
  };
  let accepted = 0;
  let refused = 0;
  if (!(await replies.next()).startsWith('220')) throw new Error('no SMTP greeting');
  if (!(await say('EHLO console.bench.local', '250'))) throw new Error('EHLO refused');
  for (let i = offset; performance.now() < deadline; i++) {
    if (!(await say('MAIL FROM:<protect@console.bench.local>', '250'))) { refused++; continue; }
    if (!(await say(`RCPT TO:<${RECIPIENT}>`, '250'))) { refused++; await say('RSET', '250'); continue; }
    if (!(await say('DATA', '354'))) { refused++; continue; }
    socket.write(messages[i % messages.length]!);
    if (await say('.', '250')) accepted++; else refused++;
  }
  socket.end('QUIT\r\n');
  return { accepted, refused };
}

async function syslogSender(port: number, lines: readonly string[], count: number, offset: number): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('error', reject); });
  // Chunks of ~64 KB, honouring backpressure: the receiver pauses a connection while its lines become durable.
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += `${lines[(offset + i) % lines.length]!}\n`;
    if (chunk.length >= 65_536 || i === count - 1) {
      if (!socket.write(chunk)) await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
      chunk = '';
    }
  }
  await new Promise<void>((resolve) => socket.end(() => resolve()));
}

const counts = (child: ReturnType<typeof forkBench>): Promise<Counts> => ask(child, { cmd: 'counts' }, field<Counts>('counts'));

async function once(run: number, mails: readonly string[], lines: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-receivers-'));
  const child = forkBench(basename(import.meta.filename), ['receivers', dir], process.env.BENCH_CPU_PROF);
  try {
    const ports = await nextMessage(child, field<Ports>('ports'), 60_000);

    const c0 = await counts(child);
    const start = performance.now();
    const deadline = start + smtpSeconds * 1000;
    const results = await Promise.all(Array.from({ length: senders }, (_, s) => smtpSender(ports.smtp, mails, deadline, s * 7)));
    const smtpS = (performance.now() - start) / 1000;
    const c1 = await counts(child);
    const accepted = results.reduce((s, r) => s + r.accepted, 0);
    const refused = results.reduce((s, r) => s + r.refused, 0);
    const smtpRate = Math.round(accepted / smtpS);
    const smtpCpu = Math.round(((c1.cpuSeconds - c0.cpuSeconds) * 1e6) / Math.max(1, accepted));
    console.log(`  run ${run} smtp: ${accepted} mails answered 250 (${refused} refused) by ${senders} senders in ${smtpS.toFixed(1)} s = ${smtpRate} messages/s; outbox wrote ${c1.written - c0.written}; receiver process CPU ${smtpCpu} µs/message`);
    if (c1.written - c0.written !== accepted) console.log(`  run ${run} smtp: MISMATCH: ${accepted} answered 250 but ${c1.written - c0.written} written`);
    console.log(`RESULT ${JSON.stringify({ bench: 'receivers-smtp', run, senders, accepted, refused, seconds: Number(smtpS.toFixed(2)), messagesPerSecond: smtpRate, cpuMicrosPerMessage: smtpCpu })}`);

    const perConnection = Math.ceil(syslogLines / syslogConnections);
    const sent = perConnection * syslogConnections;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: syslogConnections }, (_, k) => syslogSender(ports.syslog, lines, perConnection, k * 13)));
    const sentS = (performance.now() - t0) / 1000;
    let c2 = await counts(child);
    const waitUntil = performance.now() + 60_000;
    while (c2.syslogReceived + c2.syslogRejected < sent && performance.now() < waitUntil) {
      await new Promise((r) => setTimeout(r, 20));
      c2 = await counts(child);
    }
    const durableS = (performance.now() - t0) / 1000;
    const lineRate = Math.round(c2.syslogReceived / durableS);
    const durable = c2.rows - c1.rows;
    const lost = sent - durable;
    const cpu = Math.round(((c2.cpuSeconds - c1.cpuSeconds) * 1e6) / Math.max(1, c2.syslogReceived));
    const verdict = lineRate >= SYSLOG_TARGET ? 'meets' : 'MISSES';
    console.log(`  run ${run} syslog: ${sent} lines over ${syslogConnections} TCP connections, all written by ${sentS.toFixed(1)} s, ${c2.syslogReceived} durable by ${durableS.toFixed(1)} s = ${lineRate} lines/s (${verdict} the target of ${SYSLOG_TARGET}); outbox rows ${durable}, lost ${lost}, rejected ${c2.syslogRejected}; receiver process CPU ${cpu} µs/line`);
    console.log(`RESULT ${JSON.stringify({ bench: 'receivers-syslog', run, connections: syslogConnections, sent, durable, lost, linesPerSecond: lineRate, seconds: Number(durableS.toFixed(2)), cpuMicrosPerLine: cpu, target: SYSLOG_TARGET })}`);
    if (lost !== 0) process.exitCode = 1;
  } finally {
    child.send({ cmd: 'stop' });
    await stopChild(child, 15_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  printMachine();
  const mails = fixtureEnvelopes<SmtpEnvelope>('smtp').map(toMessage);
  const lines = fixtureEnvelopes<SyslogEnvelope>('syslog').map((e) => e.syslog.line)
    // Lines the receiver rightly refuses (no PRI: the garbage fixtures) are left out, so that every line sent must arrive.
    .filter((l) => !/[\r\n]/.test(l) && hasPri(l));
  const avgMail = Math.round(mails.reduce((s, m) => s + m.length, 0) / mails.length);
  const avgLine = Math.round(lines.reduce((s, l) => s + l.length, 0) / lines.length);
  console.log(`receivers: SMTP ${senders} concurrent senders for ${smtpSeconds} s (${mails.length} fixture mails, ~${avgMail} bytes); syslog ${syslogLines} lines over ${syslogConnections} TCP connections (${lines.length} fixture lines, ~${avgLine} bytes); receivers + outbox (synchronous=FULL) in their own process; ${runs} run(s)`);
  for (let run = 1; run <= runs; run++) await once(run, mails, lines);
}

if (process.argv[2] === 'receivers') await receivingProcess(process.argv[3]!);
else await main();
