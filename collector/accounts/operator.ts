// Who calls the operator API (/v1/…): an engineer's personal token (`xpu_…`) is that person, the shared admin token is
// the `service` account of scripts. A route that changes something takes its actor from here: a person acts as
// themselves whatever the body says; only the service account names its actor in the body (`by`, `author`).
import type { FastifyRequest } from 'fastify';
import { XpearsError } from '../../lib/errors.js';
import { can, type Permission } from './permissions.js';
import type { Role } from './types.js';

/** The caller of one request: a person by their token, or the service account (the admin token). */
export type ApiOperator = { kind: 'user'; login: string; role: Role } | { kind: 'service' };

/** Where an API change is written down (AccountStore.audit). */
export interface AuditSink {
  audit(actor: string, action: string, target: string | null, detail?: string | null): void;
}

const operators = new WeakMap<FastifyRequest, ApiOperator>();

/** Records who the request's token belongs to (the admin routes' onRequest hook). */
export function setOperator(req: FastifyRequest, operator: ApiOperator): void {
  operators.set(req, operator);
}

/** The caller of a request; the service account when no hook named one (routes mounted without the auth hook). */
export function operatorOf(req: FastifyRequest): ApiOperator {
  return operators.get(req) ?? { kind: 'service' };
}

/** The caller, refused (403) when a person's role does not grant `permission`; the service account may do anything. */
export function requireApiPermission(req: FastifyRequest, permission: Permission): ApiOperator {
  const op = operatorOf(req);
  if (op.kind === 'user' && !can(op.role, permission)) {
    throw new XpearsError('FORBIDDEN', `${op.login} (${op.role}) may not do that (${permission})`);
  }
  return op;
}

/** Who a change is recorded as: a person's login (a body naming someone else is refused, 403), or, for the service
 *  account, the name the body gives in `field` (required, 400 without it). */
export function actorOf(op: ApiOperator, named: string | undefined, field: string): string {
  const name = named?.trim() ?? '';
  if (op.kind === 'user') {
    if (name && name.toLowerCase() !== op.login.toLowerCase()) {
      throw new XpearsError('FORBIDDEN', `a personal token acts as its owner "${op.login}": "${field}" may be left out, but cannot name "${name.slice(0, 80)}"`);
    }
    return op.login;
  }
  if (!name) throw new XpearsError('BODY_INVALID', `the body is not valid: ${field}: the admin token is a service account, so "${field}" must name who makes the change`);
  return name;
}

/** The audit line's actor and detail: a person's login; `service`, with the name the body gave, for the admin token. */
export function auditAs(op: ApiOperator, actor: string): { actor: string; detail: string | null } {
  return op.kind === 'user' ? { actor: op.login, detail: null } : { actor: 'service', detail: `as ${actor}` };
}
