// The SMTP receiver: the console's mail server setting points here. It accepts mail only for its own recipients,
// from allowed networks and senders, parses within limits, and answers 250 only once the capture is durable.
import { readFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { smtpCaptureSchema, type Capture, type SmtpCapture } from '../../../protocol/envelope.js';
import type { LedgerResult } from '../../outbox/retry-ledger.js';
import { mailRetryKey } from './retry-key.js';
import { ReceiverCounters, type Receiver, type ReceiverDeps, type ReceiverHealth } from '../types.js';
import { BoundedLog, NetworkMatcher, WarningCounts, describeListener, normalizeAddress } from '../net.js';
import { systemClock } from '../../../lib/clock.js';
import { AuthGuard } from './auth-guard.js';
import type { SmtpReceiverConfig } from './config.js';
import { parseMail } from './parse-mail.js';
import { REFUSALS, authenticate, checkRecipient, checkSender, type Refusal } from './policy.js';

/** The SMTP receiver, with the bound address (useful when configured on port 0) and its non-fatal warnings. */
export interface SmtpReceiver extends Receiver {
  address(): AddressInfo | null;
  /** Messages accepted with a problem ("mime-parts", "mime-depth", "mime-time", "encoding", …), by reason. */
  warnings(): Record<string, number>;
}

type Callback = (err?: Error | null) => void;
const MAX_RECIPIENTS = 100;

/** Builds the SMTP receiver; nothing listens until start(). */
export function createSmtpReceiver(config: SmtpReceiverConfig, deps: ReceiverDeps): SmtpReceiver {
  const log = deps.logger.child({ component: 'receiver.smtp' });
  const counters = new ReceiverCounters();
  const warnings = new WarningCounts();
  const networks = new NetworkMatcher(config.allowedNetworks);
  const clock = deps.clock ?? systemClock;
  // One quota per reason: a flood of one refusal (700 wrong passwords a second) is summarised, and cannot hide another.
  const boundedLogs = new Map<string, BoundedLog>();
  const boundedLog = (reason: string): BoundedLog => {
    let bounded = boundedLogs.get(reason);
    if (!bounded) boundedLogs.set(reason, (bounded = new BoundedLog(log, clock)));
    return bounded;
  };
  const authGuard = new AuthGuard(clock, { maxFailures: config.auth?.maxFailures ?? 5, lockoutSeconds: config.auth?.lockoutSeconds ?? 900 });
  const delayed = new Set<NodeJS.Timeout>();
  const perSource = new Map<string, number>();
  const countedSessions = new Set<string>();
  let server: SMTPServer | null = null;
  let bound: AddressInfo | null = null;

  const refuse = (refusal: Refusal, session: SMTPServerSession, fields: Record<string, unknown> = {}, error?: string): Error => {
    counters.reject(refusal.reason, error);
    boundedLog(refusal.reason).warn({ reason: refusal.reason, code: refusal.responseCode, remoteAddress: normalizeAddress(session.remoteAddress), ...fields }, 'smtp refused');
    return Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode });
  };

  const onConnect = (session: SMTPServerSession, callback: Callback): void => {
    if (!networks.allows(session.remoteAddress)) return callback(refuse(REFUSALS.network, session));
    if (server && server.connections.size > config.maxConnections) {
      return callback(refuse({ responseCode: 421, message: '4.7.0 Too many connections, try again later', reason: 'connections' }, session));
    }
    const address = normalizeAddress(session.remoteAddress);
    const open = perSource.get(address) ?? 0;
    if (open >= config.maxConnectionsPerSource) return callback(refuse(REFUSALS.sourceConnections, session));
    perSource.set(address, open + 1);
    countedSessions.add(session.id);
    callback();
  };

  const onClose = (session: SMTPServerSession): void => {
    if (!countedSessions.delete(session.id)) return;
    const address = normalizeAddress(session.remoteAddress);
    const open = (perSource.get(address) ?? 1) - 1;
    if (open > 0) perSource.set(address, open);
    else perSource.delete(address);
  };

  const onAuth: SMTPServerOptions['onAuth'] = (auth, session, callback) => {
    const username = auth.username ?? '';
    const address = normalizeAddress(session.remoteAddress);
    if (authGuard.locked(address)) return callback(refuse(REFUSALS.authLocked, session, { method: auth.method }));
    if (config.auth && authenticate(config.auth.users, username, auth.password ?? '')) {
      authGuard.succeeded(address);
      callback(null, { user: username });
      return;
    }
    if (authGuard.failed(address)) {
      boundedLog('auth-lockout').warn({ remoteAddress: address, lockoutSeconds: config.auth?.lockoutSeconds }, 'smtp source locked out after failed AUTH attempts');
    }
    const refusal = refuse(REFUSALS.authFailed, session, { username: username.slice(0, 256), method: auth.method });
    // The answer waits, so that guessing costs the guesser time; the wait holds one of the guesser's few slots.
    const timer = setTimeout(() => { delayed.delete(timer); callback(refusal); }, config.auth?.failureDelayMs ?? 0);
    delayed.add(timer);
  };

  const onMailFrom: SMTPServerOptions['onMailFrom'] = (address, session, callback) => {
    if (config.tls?.required && !session.secure) return callback(refuse(REFUSALS.tlsRequired, session));
    if (config.auth?.required && !session.user) return callback(refuse(REFUSALS.authRequired, session));
    const refusal = checkSender(config.allowedSenders, address.address);
    if (refusal) return callback(refuse(refusal, session, { mailFrom: address.address.slice(0, 256) }));
    callback();
  };

  const onRcptTo: SMTPServerOptions['onRcptTo'] = (address, session, callback) => {
    if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
      return callback(refuse({ responseCode: 452, message: '4.5.3 Too many recipients', reason: 'recipients' }, session));
    }
    const refusal = checkRecipient(config.recipients, address.address);
    if (refusal) return callback(refuse(refusal, session, { rcptTo: address.address.slice(0, 256) }));
    callback();
  };

  // A mail with a Message-ID goes through the retry ledger: a sender's retry of it is answered, not stored again.
  const storeOnce = async (capture: Capture, mail: SmtpCapture): Promise<LedgerResult> => {
    const key = deps.retries ? mailRetryKey(mail) : '';
    if (!deps.retries || key === '') return { id: await deps.sink.capture(capture), duplicate: false };
    return deps.retries.captureOnce(deps.sink, capture, key, config.messageIdWindowSeconds * 1000);
  };

  const receiveMessage = async (stream: Readable & { sizeExceeded?: boolean }, session: SMTPServerSession): Promise<string> => {
    const parsed = await parseMail(stream, { ...config.limits, maxBytes: config.maxMessageBytes });
    if (parsed.oversized || stream.sizeExceeded) {
      throw refuse(REFUSALS.size, session, { bytes: parsed.bytes, limit: config.maxMessageBytes });
    }
    if (parsed.cutReason) warnings.add(`mime-${parsed.cutReason}`);
    else if (parsed.warnings.length > 0) warnings.add('encoding');
    const { bytes: _bytes, oversized: _oversized, cutReason: _cut, warnings: notes, ...mail } = parsed;
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const capture: Capture = {
      transport: 'smtp',
      source: { address: normalizeAddress(session.remoteAddress), port: session.remotePort },
      smtp: { mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address), ...mail, ...(notes.length > 0 ? { warnings: notes } : {}) },
    };
    const checked = smtpCaptureSchema.safeParse(capture.smtp);
    if (!checked.success) {
      // Our own clipping should make this impossible; refuse permanently rather than loop on 4xx.
      const error = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 512);
      throw refuse({ responseCode: 554, message: '5.6.0 Message could not be captured', reason: 'malformed' }, session, { error }, error);
    }
    let id: string;
    try {
      const once = await storeOnce(capture, checked.data);
      if (once.duplicate) {
        counters.reject('duplicate');
        log.info({ id: once.id, remoteAddress: capture.source.address }, 'smtp message already captured: answered, not stored again');
        return `2.0.0 Ok: queued as ${once.id}`;
      }
      id = once.id;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      throw refuse(REFUSALS.outbox, session, { error }, error);
    }
    counters.received += 1;
    log.info({ id, remoteAddress: capture.source.address, bytes: parsed.bytes, attachments: mail.attachments.length, warnings: notes.length }, 'smtp message captured');
    return `2.0.0 Ok: queued as ${id}`;
  };

  const onData: SMTPServerOptions['onData'] = (stream, session, callback) => {
    receiveMessage(stream, session).then(
      (reply) => (callback as (err: Error | null, message: string) => void)(null, reply),
      (err: unknown) => {
        if (err instanceof Error && 'responseCode' in err) return callback(err);
        // Unexpected: drain what is left so the session stays in step, then ask for a retry.
        stream.resume();
        const error = err instanceof Error ? err.message : String(err);
        log.error({ error }, 'smtp message failed');
        callback(refuse(REFUSALS.internal, session, { error }, error));
      },
    );
  };

  return {
    name: 'smtp',
    async start(): Promise<void> {
      const tls = config.tls ? { key: await readFile(config.tls.keyFile), cert: await readFile(config.tls.certFile) } : {};
      const disabled = [...(config.tls ? [] : ['STARTTLS']), ...(config.auth ? [] : ['AUTH'])];
      const smtp = new SMTPServer({
        ...tls,
        name: config.serverName,
        banner: 'xpears agent',
        size: config.maxMessageBytes,
        socketTimeout: config.idleTimeoutMs,
        closeTimeout: 5000,
        disableReverseLookup: true,
        logger: false,
        disabledCommands: disabled,
        authMethods: ['PLAIN', 'LOGIN'],
        authOptional: true, // required-ness is enforced at MAIL FROM, so that the refusal is counted
        allowInsecureAuth: config.auth?.allowInsecure ?? false,
        onConnect,
        onAuth,
        onMailFrom,
        onRcptTo,
        onData,
        onClose,
      });
      // Socket errors of one session (resets, failed TLS handshakes) must never reach the process; they say
      // nothing about the receiver's health, so they are logged, not kept as lastError.
      smtp.on('error', (err: Error) => log.debug({ error: err.message }, 'smtp session error'));
      smtp.server.on('connection', (socket: Socket) => {
        const timer = setTimeout(() => {
          warnings.add('closed-session-time');
          boundedLog('session-time').warn({ remoteAddress: normalizeAddress(socket.remoteAddress), maxSessionMs: config.maxSessionMs }, 'smtp session closed: too long');
          socket.destroy();
        }, config.maxSessionMs);
        socket.once('close', () => clearTimeout(timer));
      });
      await new Promise<void>((resolve, reject) => {
        smtp.server.once('error', reject);
        smtp.listen(config.port, config.host, () => {
          smtp.server.off('error', reject);
          resolve();
        });
      });
      server = smtp;
      bound = smtp.server.address() as AddressInfo;
      log.info({ listening: describeListener('tcp', bound.address, bound.port) }, 'smtp receiver listening');
    },
    async stop(): Promise<void> {
      const smtp = server;
      server = null;
      bound = null;
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      if (smtp) await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
    health(): ReceiverHealth {
      return {
        name: 'smtp',
        healthy: server !== null,
        listening: bound ? describeListener('tcp', bound.address, bound.port) : '',
        received: counters.received,
        rejected: counters.rejected,
        rejectedByReason: { ...counters.rejectedByReason },
        lastError: counters.lastError,
      };
    },
    address: () => bound,
    warnings: () => warnings.snapshot(),
  };
}
