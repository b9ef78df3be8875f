// The collector refuses before it reads (issue 13): an agent route checks the Bearer token before a byte of the
// body is read, every request has a deadline for its headers and for the whole of it, idle connections are closed,
// and connections are capped in all and, while none of their requests has proved an agent, per source address.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import type { AuthenticatedAgent } from './auth.js';

/** The `connections` section of the collector's configuration (docs/operations.md, "Connections and timeouts"). */
export const connectionLimitsSchema = z.object({
  /** Time for a request's headers to arrive, from the connection's first byte. */
  headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** Time for a whole request, body included (an 8 MiB batch at 2 Mbit/s takes 34 s). */
  requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
  /** A connection with no byte either way for this long is closed. */
  idleTimeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
  /** A kept-alive connection waiting for its next request is closed after this long. */
  keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
  /** Open connections in all; more are closed as they arrive. */
  maxConnections: z.number().int().min(1).max(1_000_000).default(4_096),
  /** Open connections from one address none of whose requests has proved an agent yet; more are closed at once.
   *  Behind a reverse proxy every connection comes from the proxy: raise it there (docs/operations.md). */
  maxUnauthenticatedPerSource: z.number().int().min(1).max(1_000_000).default(32),
}).strict().refine((c) => c.headersTimeoutMs <= c.requestTimeoutMs, { message: 'headersTimeoutMs must not exceed requestTimeoutMs' });
export type ConnectionLimits = z.infer<typeof connectionLimitsSchema>;

/** The defaults, for apps built without a configuration (tests, tools). */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = connectionLimitsSchema.parse({});

/** Node's HTTP server options for the limits: given to Fastify (`http`) or merged into its `https` options. */
export function httpServerOptions(limits: ConnectionLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks the two deadlines above on this period (30 s by default): a tenth of the headers' deadline, ≤ 1 s.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 10))),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

/** Fastify's own options for the limits (it sets them on the server it makes). */
export function fastifyTimeoutOptions(limits: ConnectionLimits) {
  return { requestTimeout: limits.requestTimeoutMs, connectionTimeout: limits.idleTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs };
}

/** What is known of one open connection. Keyed by "address|port", which a TLS socket shares with its TCP one. */
interface ConnectionState { address: string; proved: boolean }

/** Counts connections per source and closes those past the caps; `prove` marks a connection an agent's. */
export class ConnectionGuard {
  private readonly connections = new Map<string, ConnectionState>();
  private readonly unproved = new Map<string, number>();
  private readonly lastWarned = new Map<string, number>();

  constructor(private readonly limits: ConnectionLimits, private readonly log: Logger, private readonly now: () => Date) {}

  /** Watches a server's connections. */
  attach(server: Server): void {
    server.maxConnections = this.limits.maxConnections;
    server.on('connection', (socket: Socket) => this.opened(socket));
  }

  /** Open connections from `address` that have not proved an agent (for tests and status). */
  unprovedFrom(address: string): number {
    return this.unproved.get(address) ?? 0;
  }

  /** Marks the connection a request came on as an agent's: it no longer counts against its source's cap. */
  prove(socket: Socket): void {
    const state = this.connections.get(`${socket.remoteAddress}|${socket.remotePort}`);
    if (!state || state.proved) return;
    state.proved = true;
    this.count(state.address, -1);
  }

  private opened(socket: Socket): void {
    const address = socket.remoteAddress ?? '?';
    if ((this.unproved.get(address) ?? 0) >= this.limits.maxUnauthenticatedPerSource) {
      this.warn(address);
      socket.destroy();
      return;
    }
    const key = `${address}|${socket.remotePort}`;
    const state: ConnectionState = { address, proved: false };
    this.connections.set(key, state);
    this.count(address, 1);
    socket.once('close', () => {
      this.connections.delete(key);
      if (!state.proved) this.count(address, -1);
    });
  }

  private count(address: string, delta: number): void {
    const n = (this.unproved.get(address) ?? 0) + delta;
    if (n > 0) this.unproved.set(address, n); else this.unproved.delete(address);
  }

  // At most one line a minute per source: a flood must not become a flood of log lines.
  private warn(address: string): void {
    const t = this.now().getTime();
    if (t - (this.lastWarned.get(address) ?? -Infinity) < 60_000) return;
    if (this.lastWarned.size > 10_000) this.lastWarned.clear();
    this.lastWarned.set(address, t);
    this.log.warn({ ip: address, limit: this.limits.maxUnauthenticatedPerSource }, 'connection refused: too many unauthenticated connections from this address');
  }
}

const proven = new WeakMap<FastifyRequest, AuthenticatedAgent>();

/**
 * Authenticates the agent routes' requests in an onRequest hook, before Fastify reads a byte of the body: a request
 * without a valid token is answered 401 and its connection closed, whatever body it announced. Returns the lookup
 * the routes' handlers use instead of authenticating again.
 */
export function guardAgentRoutes(app: FastifyInstance, paths: readonly string[], authenticate: (req: FastifyRequest) => Promise<AuthenticatedAgent>,
  guard?: ConnectionGuard): (req: FastifyRequest) => Promise<AuthenticatedAgent> {
  const guarded = new Set(paths);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!guarded.has(req.routeOptions.url ?? '')) return;
    try {
      proven.set(req, await authenticate(req));
    } catch (err) {
      reply.header('connection', 'close'); // the body it may still be sending is not read
      throw err;
    }
    guard?.prove(req.raw.socket);
  });
  return async (req) => proven.get(req) ?? authenticate(req);
}
