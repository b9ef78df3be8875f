// The SNMP trap receiver: v1 and v2c traps, v2c and v3 informs and traps, community and USM allow-lists.
// net-snmp decodes and authenticates; we take over its message handler so that an inform is answered only after
// its capture is durable in the outbox (net-snmp alone answers before the application sees it).
import snmp from 'net-snmp';
import type { RawMessage, Receiver as NetSnmpReceiver } from 'net-snmp';
import { createSocket, type Socket, type RemoteInfo, type SocketType } from 'node:dgram';
import type { Receiver, ReceiverDeps, ReceiverHealth } from '../types.js';
import { ReceiverCounters } from '../types.js';
import { BoundedLog, NetworkMatcher, normalizeAddress } from '../net.js';
import type { SnmpReceiverConfig } from './config.js';
import { snmpCaptureFromPdu } from './decode.js';
import { UsmTimeliness } from './usm-time.js';
import { usmStampOf } from './retry-keys.js';
import { storeSnmpCapture, type UsmMark } from './store.js';
import type { Capture, SnmpCapture } from '../../../protocol/envelope.js';
import { systemClock } from '../../../lib/clock.js';

const LOG_EVERY_MS = 10_000;

// net-snmp replaces port 0 with 162 (`port || 162`); this socket factory binds the port we were given, 0 included.
function exactPortDgram(port: number): { createSocket(type: SocketType): Socket } {
  return {
    createSocket(type: SocketType): Socket {
      const socket = createSocket(type);
      const bind = socket.bind.bind(socket) as (port: number, address?: string | null) => Socket;
      (socket as unknown as { bind: (p: number, a?: string | null) => Socket }).bind = (_p, address) => bind(port, address ?? undefined);
      return socket;
    },
  };
}

/** Creates the SNMP receiver. */
export function createSnmpReceiver(config: SnmpReceiverConfig, deps: ReceiverDeps): Receiver & { port(): number } {
  const log = deps.logger.child({ component: 'receiver.snmp' });
  const counters = new ReceiverCounters();
  const clock = deps.clock ?? systemClock;
  const networks = new NetworkMatcher(config.allowedNetworks);
  let usm: UsmTimeliness | undefined;
  let ourEngineId = '';
  let receiver: NetSnmpReceiver | undefined;
  let boundPort = config.port;
  let healthy = false;
  const boundedLogs = new Map<string, BoundedLog>();

  // A flood is counted in full but logged once per interval and reason, then summarised with the number left out:
  // one reason's flood cannot hide another's.
  function rejected(reason: string, rinfo: RemoteInfo | undefined, detail: string, message = 'snmp message refused'): void {
    counters.reject(reason, `${reason}: ${detail}`);
    let bounded = boundedLogs.get(reason);
    if (!bounded) boundedLogs.set(reason, (bounded = new BoundedLog(log, clock, 1, LOG_EVERY_MS)));
    bounded.warn({ reason, from: rinfo?.address, detail }, message);
  }

  function classify(err: Error): [string, string] {
    const m = err.message;
    // The library's message names the offending community: keep it out of logs and status.
    if (/community/i.test(m)) return ['community', 'community not allowed'];
    if (/user|authentication|digest|privacy|decrypt/i.test(m)) return ['v3-auth', m.replace(/with user .*/i, '')];
    if (/Unexpected PDU|discovery|GetRequest/i.test(m)) return ['unsupported-pdu', m];
    return ['malformed', (err as { cause?: Error }).cause?.message ?? m];
  }

  function deliver(message: RawMessage, rinfo: RemoteInfo, ack: (() => void) | undefined, mark?: UsmMark): void {
    const version = message.version === snmp.Version1 ? 'v1' : message.version === snmp.Version3 ? 'v3' : 'v2c';
    const kind: SnmpCapture['pduType'] = ack ? 'inform' : message.pdu.type === snmp.PduType.Trap ? 'trap-v1' : 'trap-v2';
    let capture: SnmpCapture;
    try {
      capture = snmpCaptureFromPdu(message.pdu, version, kind, message.user?.name || undefined);
    } catch (err) {
      rejected('malformed', rinfo, (err as Error).message);
      return;
    }
    const envelope: Capture = { transport: 'snmp', source: { address: normalizeAddress(rinfo.address), port: rinfo.port }, snmp: capture };
    const storeDeps = { sink: deps.sink, retries: deps.retries, informWindowMs: config.informRetryWindowSeconds * 1000, notion: (id: string) => usm?.notion(id) };
    storeSnmpCapture(storeDeps, envelope, message, rinfo, ack !== undefined, mark).then(
      (outcome) => {
        if (outcome === 'replay') return rejected('replay', rinfo, 'authenticated message already received');
        if (outcome === 'stored') counters.received += 1;
        else counters.reject(mark?.replayed ? 'replay' : 'duplicate');
        ack?.();
      },
      (err: Error) => {
        // Not durable: an inform stays unanswered so its sender retries; a trap is lost at the source, said loudly.
        rejected('outbox', rinfo, `${kind}: ${err.message}`, 'snmp capture not stored');
      },
    );
  }

  // RFC 3414 §3.2 step 7 for authenticated v3 messages. A replayed trap is refused here; a replayed inform goes on,
  // to be answered (never stored) when its first copy is. An inform out of the window gets a notInTimeWindow report
  // carrying our boots and time, so that its sender can resynchronise and retry.
  function timeliness(message: RawMessage, inform: boolean, rinfo: RemoteInfo, socket: Socket, r: NetSnmpReceiver): UsmMark | 'refused' | undefined {
    const stamp = usm ? usmStampOf(message, ourEngineId, inform) : null;
    if (!stamp || !usm) return undefined;
    const { verdict, keepMs } = usm.assess(stamp);
    if (verdict === 'not-in-time-window') {
      rejected('not-in-time-window', rinfo, `engine boots ${stamp.boots}, time ${stamp.time}`);
      if (stamp.toUs && message.isReportable()) r.listener.send(message.createReportResponseMessage(r.engine, r.context, '2'), rinfo, socket);
      return 'refused';
    }
    if (verdict === 'replay' && !inform) {
      rejected('replay', rinfo, 'authenticated message already received');
      return 'refused';
    }
    return { stamp, keepMs, replayed: verdict === 'replay' };
  }

  // Mirrors net-snmp's Receiver.prototype.onMsg (3.x), answering informs after durability instead of before.
  function onMsg(this: NetSnmpReceiver, socket: Socket, buffer: Buffer, rinfo: RemoteInfo): void {
    if (!networks.allows(rinfo.address)) {
      rejected('network', rinfo, 'source outside allowedNetworks');
      return;
    }
    let failure: Error | null = null;
    let message: RawMessage | undefined;
    try {
      message = this.listener.constructor.processIncoming(buffer, this.authorizer, (err) => { failure = err; });
    } catch (err) {
      rejected('malformed', rinfo, (err as Error).message);
      return;
    }
    if (failure) { const [reason, detail] = classify(failure); rejected(reason, rinfo, detail); return; }
    if (!message) return;
    if (message.report && message.original) {
      rejected('v3-auth', rinfo, `USM report ${message.errorType ?? ''}`.trim());
      this.listener.send(message.original.createReportResponseMessage(this.engine, this.context, message.errorType ?? '5'), rinfo, socket);
      return;
    }
    const type = message.pdu.type;
    if (type === snmp.PduType.GetRequest && message.version === snmp.Version3 && !message.hasAuthentication() && message.isReportable()) {
      // SNMPv3 engine discovery (RFC 3414 §4): answer with our engine ID.
      this.listener.send(message.createReportResponseMessage(this.engine, this.context, '4'), rinfo, socket);
      return;
    }
    const inform = type === snmp.PduType.InformRequest;
    const mark = timeliness(message, inform, rinfo, socket, this);
    if (mark === 'refused') return;
    if (type === snmp.PduType.Trap || type === snmp.PduType.TrapV2) {
      deliver(message, rinfo, undefined, mark);
    } else if (inform) {
      const m = message;
      deliver(m, rinfo, () => {
        m.pdu.type = snmp.PduType.GetResponse;
        m.buffer = null;
        m.setReportable(false);
        // The receiver may have been stopped while the capture was written: the sender will retry; nothing to answer.
        try { this.listener.send(m, rinfo, socket); } catch (err) { log.debug({ err: (err as Error).message }, 'snmp inform response not sent'); }
      }, mark);
    } else {
      rejected('unsupported-pdu', rinfo, `PDU type ${type}`);
    }
  }

  return {
    name: 'snmp',
    port: () => boundPort,
    async start() {
      const r = snmp.createReceiver(
        {
          port: config.port, address: config.address, transport: config.address.includes(':') ? 'udp6' : 'udp4',
          disableAuthorization: false, includeAuthentication: true, ...(config.engineId ? { engineID: config.engineId } : {}),
          dgramModule: exactPortDgram(config.port),
        },
        (err) => {
          // Socket-level errors arrive here (message handling is ours).
          if (err) { counters.lastError = err.message; log.error({ err: err.message }, 'snmp socket error'); }
        },
      );
      r.onMsg = onMsg;
      // Our engine's boots grow at every start (kept beside the outbox) and its time counts from now (RFC 3414 §2.2).
      const engine = { boots: deps.retries?.nextEngineBoots() ?? 1, startedAtMs: clock().getTime() };
      const timeCheck = new UsmTimeliness(clock, engine);
      timeCheck.restore((deps.retries?.engineTimes() ?? []).map((row) => [row.engineId, row] as const));
      r.engine.engineBoots = engine.boots;
      Object.defineProperty(r.engine, 'engineTime', { get: () => timeCheck.localTime(), configurable: true });
      ourEngineId = r.engine.engineID.toString('hex');
      usm = timeCheck;
      const auth = r.getAuthorizer();
      for (const c of config.communities) auth.addCommunity(c);
      for (const u of config.users) {
        auth.addUser({
          name: u.name,
          level: snmp.SecurityLevel[u.level],
          authProtocol: snmp.AuthProtocols[u.authProtocol],
          authKey: u.authKey,
          ...(u.level === 'authPriv' ? { privProtocol: snmp.PrivProtocols[u.privProtocol], privKey: u.privKey } : {}),
        });
      }
      const socket = Object.values(r.listener.sockets)[0]!;
      // The listener re-binds the handler with its own `this`; point it at ours.
      socket.removeAllListeners('message');
      socket.on('message', (buf: Buffer, rinfo: RemoteInfo) => onMsg.call(r, socket, buf, rinfo));
      await new Promise<void>((resolve, reject) => {
        socket.once('listening', () => resolve());
        socket.once('error', reject);
      });
      try { socket.setRecvBufferSize(config.receiveBufferBytes); } catch { /* capped by the kernel: best effort */ }
      boundPort = socket.address().port;
      receiver = r;
      healthy = true;
      log.info({ listening: `udp ${config.address}:${boundPort}`, communityCount: config.communities.length, v3Users: config.users.length }, 'snmp receiver listening');
    },
    async stop() {
      healthy = false;
      if (!receiver) return;
      const r = receiver;
      receiver = undefined;
      await new Promise<void>((resolve) => r.close(() => resolve()));
    },
    health(): ReceiverHealth {
      return {
        name: 'snmp', healthy, listening: `udp ${config.address}:${boundPort}`, received: counters.received,
        rejected: counters.rejected, rejectedByReason: { ...counters.rejectedByReason }, lastError: counters.lastError,
      };
    },
  };
}
