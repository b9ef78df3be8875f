// The syslog receiver: UDP, TCP and TLS listeners that hand each message, as received, to the outbox. Syslog has
// no acknowledgement, so durability cannot be promised to the sender; instead a TCP/TLS connection is paused while
// its messages are being written, which pushes back on a sender faster than the disk.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer, isIP, type AddressInfo, type Server, type Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import { systemClock, type Clock } from '../../../lib/clock.js';
import type { Capture, SyslogCapture } from '../../../protocol/envelope.js';
import { ReceiverCounters, type Receiver, type ReceiverDeps, type ReceiverHealth } from '../types.js';
import { BoundedLog, NetworkMatcher, WarningCounts, describeListener, normalizeAddress } from '../net.js';
import type { SyslogReceiverConfig } from './config.js';
import { SyslogDeframer, type Frame } from './deframer.js';
import { decodeSyslogMessage } from './message.js';
import { ConnectionSlots, StreamWatch, type StreamExpiry } from './slots.js';

type Protocol = SyslogCapture['protocol'];

/** The syslog receiver, with its bound addresses and its non-fatal warnings ("truncated", "invalid-utf8"). */
export interface SyslogReceiver extends Receiver {
  addresses(): Partial<Record<Protocol, AddressInfo>>;
  warnings(): Record<string, number>;
}

/** Captures one TCP/TLS connection may have in flight before it is paused. */
const TCP_HIGH_WATER = 2000;
/** UDP has no back-pressure: past this many captures in flight, datagrams are dropped and counted. */
const MAX_UDP_IN_FLIGHT = 10_000;

/** Builds the syslog receiver; nothing listens until start(). */
export function createSyslogReceiver(config: SyslogReceiverConfig, deps: ReceiverDeps & { clock?: Clock }): SyslogReceiver {
  const log = deps.logger.child({ component: 'receiver.syslog' });
  // One quota per reason, so a garbage flood cannot hide that the outbox stopped writing.
  const floodLogs = new Map<string, BoundedLog>();
  const floodLog = (reason: string): BoundedLog => {
    let bounded = floodLogs.get(reason);
    if (!bounded) floodLogs.set(reason, (bounded = new BoundedLog(log, deps.clock ?? systemClock)));
    return bounded;
  };
  const counters = new ReceiverCounters();
  const warnings = new WarningCounts();
  const networks = new NetworkMatcher(config.allowedNetworks);
  const servers = new Map<Protocol, Server>();
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();
  const bound: Partial<Record<Protocol, AddressInfo>> = {};
  let udp: UdpSocket | null = null;

  const refuse = (reason: string, fields: Record<string, unknown>, message: string): void => {
    counters.reject(reason);
    floodLog(reason).warn({ reason, ...fields }, message);
  };

  /** Decides one framed message and hands it to the sink; resolves when the sink has answered. */
  const receiveFrame = (frame: Frame, protocol: Protocol, source: Capture['source']): Promise<void> | null => {
    if (frame.truncated && config.oversize === 'reject') {
      refuse('size', { protocol, remoteAddress: source.address, limit: config.maxMessageBytes }, 'syslog message too long, dropped');
      return null;
    }
    const decoded = decodeSyslogMessage(frame.bytes);
    if (decoded.kind === 'empty') return null;
    if (decoded.kind === 'garbage') {
      refuse('malformed', { protocol, remoteAddress: source.address, sample: decoded.sample }, 'syslog message without PRI refused');
      return null;
    }
    if (frame.truncated) warnings.add('truncated');
    if (decoded.invalidUtf8) warnings.add('invalid-utf8');
    const pending = deps.sink.capture({ transport: 'syslog', source, syslog: { protocol, line: decoded.line } }).then(
      () => { counters.received += 1; },
      (err: unknown) => {
        const error = err instanceof Error ? err.message : String(err);
        counters.reject('outbox', error);
        floodLog('outbox').warn({ protocol, remoteAddress: source.address, error }, 'syslog message not stored');
      },
    );
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
    return pending;
  };

  /** Checks a peer against the allowed networks, counting and logging a refusal. */
  const admits = (protocol: Protocol, source: Capture['source']): boolean => {
    if (networks.allows(source.address)) return true;
    refuse('network', { protocol, remoteAddress: source.address }, 'syslog connection refused');
    return false;
  };

  const sourceOf = (socket: Socket): Capture['source'] => ({ address: normalizeAddress(socket.remoteAddress), port: socket.remotePort ?? 0 });

  const slotsOf = new Map<'tcp' | 'tls', ConnectionSlots>();
  /** Takes a connection slot of the listener for `raw`, or refuses it (counted and logged at a bounded rate). */
  const takeSlot = (protocol: 'tcp' | 'tls', raw: Socket, source: Capture['source']): boolean => {
    let slots = slotsOf.get(protocol);
    if (!slots) slotsOf.set(protocol, (slots = new ConnectionSlots({ maxConnections: config.maxConnections, maxPerSource: config.maxConnectionsPerSource })));
    const { refused, evicted } = slots.admit(raw, source.address, () => {
      warnings.add('closed-evicted');
      raw.destroy();
    });
    if (refused) {
      refuse(refused, { protocol, remoteAddress: source.address }, 'syslog connection refused: too many');
      return false;
    }
    if (evicted !== undefined) floodLog('evicted').warn({ protocol, remoteAddress: evicted }, 'syslog connection closed to make room: it never sent a message');
    const held = slots;
    raw.once('close', () => held.release(raw));
    return true;
  };

  /** Closes a connection whose peer is too slow or silent; not while the receiver itself holds it back. */
  const expire = (protocol: Protocol, socket: Socket, source: Capture['source'], watch: () => StreamWatch, why: StreamExpiry): void => {
    if (socket.isPaused()) {
      watch().excuse();
      watch().delivered();
      return;
    }
    warnings.add(`closed-${why}`);
    floodLog(`closed-${why}`).warn({ protocol, remoteAddress: source.address, why }, 'syslog connection closed: peer too slow or silent');
    socket.destroy();
  };

  const onStream = (protocol: 'tcp' | 'tls', socket: Socket, source: Capture['source'], slotKey: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A TLS connection that closes before 'secure' failed its handshake (under TLS 1.3 a client that distrusts our
    // certificate just hangs up, with no error on this side): counted once, at close.
    let secured = protocol !== 'tls';
    socket.once('secure', () => { secured = true; });
    socket.once('close', () => {
      if (!secured) refuse('tls', { protocol, remoteAddress: source.address }, 'syslog TLS handshake failed');
    });
    socket.on('error', (err) => log.debug({ protocol, remoteAddress: source.address, error: err.message }, 'syslog connection error'));
    const watch: StreamWatch = new StreamWatch(config, (why) => expire(protocol, socket, source, () => watch, why));
    socket.once('close', () => watch.stop());
    const deframer = new SyslogDeframer(config.maxMessageBytes);
    // Reading goes on while captures are in flight, so that many chunks share one outbox write; past the high-water
    // mark the socket is paused until everything in flight is durable.
    let waiting = 0;
    const receiveAll = (frames: Frame[]): void => {
      for (const frame of frames) {
        const pending = receiveFrame(frame, protocol, source);
        if (!pending) continue;
        watch.delivered();
        slotsOf.get(protocol)?.delivered(slotKey);
        waiting += 1;
        void pending.finally(() => {
          waiting -= 1;
          if (waiting === 0 && socket.isPaused()) socket.resume();
        });
      }
      if (waiting >= TCP_HIGH_WATER) socket.pause();
    };
    socket.on('data', (chunk: Buffer) => {
      const frames = deframer.push(chunk);
      receiveAll(frames);
      watch.progress(deframer.inMessage, frames.length > 0);
    });
    socket.on('end', () => receiveAll(deframer.end()));
  };

  const onDatagram = (message: Buffer, rinfo: RemoteInfo): void => {
    const source = { address: normalizeAddress(rinfo.address), port: rinfo.port };
    if (!admits('udp', source)) return;
    if (inFlight.size >= MAX_UDP_IN_FLIGHT) {
      refuse('overload', { protocol: 'udp', remoteAddress: source.address }, 'syslog datagram dropped: outbox behind');
      return;
    }
    const truncated = message.length > config.maxMessageBytes;
    receiveFrame({ bytes: message.subarray(0, config.maxMessageBytes), truncated, framing: 'datagram' }, 'udp', source);
  };

  const listen = async (protocol: 'tcp' | 'tls', server: Server, host: string, port: number): Promise<void> => {
    server.on('error', (err) => { counters.lastError = err.message; log.warn({ protocol, error: err.message }, 'syslog listener error'); });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    });
    servers.set(protocol, server);
    bound[protocol] = server.address() as AddressInfo;
  };

  const listening = (): string =>
    (['udp', 'tcp', 'tls'] as const)
      .flatMap((p) => { const a = bound[p]; return a ? [describeListener(p, a.address, a.port)] : []; })
      .join(', ');

  return {
    name: 'syslog',
    async start(): Promise<void> {
      if (config.udp) {
        const { host, port } = config.udp;
        const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
        socket.on('message', onDatagram);
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(port, host, () => { socket.off('error', reject); resolve(); });
        });
        socket.on('error', (err) => { counters.lastError = err.message; log.warn({ protocol: 'udp', error: err.message }, 'syslog listener error'); });
        udp = socket;
        bound.udp = socket.address();
      }
      if (config.tcp) {
        const server = createServer((socket) => {
          const source = sourceOf(socket);
          if (admits('tcp', source) && takeSlot('tcp', socket, source)) onStream('tcp', socket, source, socket);
          else socket.destroy();
        });
        await listen('tcp', server, config.tcp.host, config.tcp.port);
      }
      if (config.tls) {
        const [key, cert] = await Promise.all([readFile(config.tls.keyFile), readFile(config.tls.certFile)]);
        const secureContext = createSecureContext({ key, cert });
        // TLS is layered by hand on a plain TCP server: the network check runs before any handshake, and a failed
        // handshake surfaces as an error on a socket whose peer is known, whichever TLS version failed it.
        const server = createServer((raw) => {
          const source = sourceOf(raw);
          if (!admits('tls', source) || !takeSlot('tls', raw, source)) return void raw.destroy();
          onStream('tls', new TLSSocket(raw, { isServer: true, secureContext }), source, raw);
        });
        await listen('tls', server, config.tls.host, config.tls.port);
      }
      log.info({ listening: listening() }, 'syslog receiver listening');
    },
    async stop(): Promise<void> {
      const closing = [...servers.values()].map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
      for (const socket of sockets) socket.destroy();
      if (udp) {
        const socket = udp;
        closing.push(new Promise<void>((resolve) => socket.close(() => resolve())));
      }
      await Promise.all(closing);
      await Promise.allSettled([...inFlight]);
      servers.clear();
      udp = null;
      for (const p of ['udp', 'tcp', 'tls'] as const) delete bound[p];
    },
    health(): ReceiverHealth {
      const expected = [config.udp, config.tcp, config.tls].filter(Boolean).length;
      return {
        name: 'syslog',
        healthy: Object.keys(bound).length === expected,
        listening: listening(),
        received: counters.received,
        rejected: counters.rejected,
        rejectedByReason: { ...counters.rejectedByReason },
        lastError: counters.lastError,
      };
    },
    addresses: () => ({ ...bound }),
    warnings: () => warnings.snapshot(),
  };
}
