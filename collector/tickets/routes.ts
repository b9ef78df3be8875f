// The tickets over the collector's API. The lead mounts this behind the admin token (CollectorAppDeps.adminRoutes);
// errors are XpearsErrors, which the app's error handler maps to their status (404, 409, 400, 403). A change made
// with a personal token is recorded as its owner (collector/accounts/operator.ts), the admin token's as the body's `by`.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { XpearsError } from '../../lib/errors.js';
import { actorOf, auditAs, requireApiPermission, type AuditSink } from '../accounts/operator.js';
import { listLimitSchema } from '../../lib/query-limit.js';
import { ticketAck, ticketClose, ticketEscalate, ticketList, ticketResolve, ticketShow, type TicketActionOptions } from './commands.js';
import type { TicketService } from './service.js';

const listQuery = z.strictObject({
  state: z.string().optional(),
  customer: z.string().optional(),
  level: z.string().optional(),
  limit: listLimitSchema.optional(), // 1–10,000, anything else a 400
});

const actionBody = z.strictObject({
  // Required of the admin token (a service account); a personal token's owner is the actor, `by` may only repeat it.
  by: z.string().trim().min(1).max(200).optional(),
  note: z.string().max(4000).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    throw new XpearsError('BODY_INVALID', `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

const ACTIONS = {
  ack: ticketAck, escalate: ticketEscalate, resolve: ticketResolve, close: ticketClose,
} as const;

/** GET /v1/tickets, GET /v1/tickets/:id, POST /v1/tickets/:id/{ack,escalate,resolve,close} with `{ by?, note? }`;
 *  each change is written to `audit` when given (the accounts' audit log). */
export function registerTicketRoutes(app: FastifyInstance, service: TicketService, opts: { audit?: AuditSink } = {}): void {
  app.get('/v1/tickets', async (req) => ticketList(service, parse(listQuery, req.query, 'the query is not valid')).data);
  app.get<{ Params: { id: string } }>('/v1/tickets/:id', async (req) => ticketShow(service, req.params.id).data);
  for (const [name, run] of Object.entries(ACTIONS)) {
    app.post<{ Params: { id: string } }>(`/v1/tickets/:id/${name}`, async (req) => {
      const op = requireApiPermission(req, 'ticket.act');
      const body = parse(actionBody, req.body, 'the body is not valid');
      const by = actorOf(op, body.by, 'by');
      // One instant per request, from the service's clock.
      const options: TicketActionOptions = { by, now: service.clock(), ...(body.note !== undefined ? { note: body.note } : {}) };
      const ticket = run(service, req.params.id, options).data;
      const audit = auditAs(op, by);
      opts.audit?.audit(audit.actor, `ticket.${name}`, ticket.number, audit.detail);
      return ticket;
    });
  }
}
