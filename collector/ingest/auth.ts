// Who is calling: an agent proven by its token (the customer comes from the token, never from the payload),
// or an operator proven by the admin token.
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { XpearsError } from '../../lib/errors.js';
import { agentIdOfToken, tokenMatches } from '../registry/tokens.js';
import type { AgentRecord, RegistryReader } from '../registry/types.js';

/** The agent a request proved to be. */
export interface AuthenticatedAgent {
  agent: AgentRecord;
  customerId: string;
}

function bearer(req: FastifyRequest): string {
  const h = req.headers.authorization;
  if (!h) throw new XpearsError('AUTH_MISSING');
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new XpearsError('AUTH_MISSING', 'the Authorization header must be "Bearer <token>"');
  return m[1]!;
}

/** Resolves the agent behind a request's bearer token, or throws AUTH_INVALID (with a reason for the metric). */
export function authenticateAgent(req: FastifyRequest, registry: RegistryReader): AuthenticatedAgent {
  const token = bearer(req);
  const id = agentIdOfToken(token);
  const agent = id ? registry.getAgent(id) : undefined;
  if (!agent || !tokenMatches(token, agent.tokenHash)) throw new XpearsError('AUTH_INVALID', undefined, { reason: 'unknown' });
  if (agent.revokedAt) throw new XpearsError('AUTH_INVALID', undefined, { reason: 'revoked' });
  if (!registry.getCustomer(agent.customerId)) throw new XpearsError('AUTH_INVALID', undefined, { reason: 'no-customer' });
  return { agent, customerId: agent.customerId };
}

/** Checks the operator's admin token (compared as hashes, in constant time). */
export function authenticateAdmin(req: FastifyRequest, adminToken: string | undefined): void {
  if (!adminToken) throw new XpearsError('FORBIDDEN', 'the operator API is disabled: no admin token is configured');
  const presented = createHash('sha256').update(bearer(req)).digest();
  const expected = createHash('sha256').update(adminToken).digest();
  if (!timingSafeEqual(presented, expected)) throw new XpearsError('AUTH_INVALID', undefined, { reason: 'admin' });
}
