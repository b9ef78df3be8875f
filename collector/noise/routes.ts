// Maintenance windows and silences over the collector's API, mounted behind the admin token like the ticket routes
// (CollectorAppDeps.adminRoutes). Errors are XpearsErrors (400 for a bad body, 404 for an unknown id, 403 for a role
// without noise.manage). A personal token's owner is the author (collector/accounts/operator.ts); the admin token's is
// the body's `author`.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { XpearsError } from '../../lib/errors.js';
import { actorOf, auditAs, requireApiPermission, type ApiOperator, type AuditSink } from '../accounts/operator.js';
import type { Clock } from '../../lib/clock.js';
import type { NoiseConfig } from './config.js';
import { silenceMatchersSchema } from './match.js';
import { windowScheduleSchema } from './schedule.js';
import type { NoiseStore } from './store.js';

const windowBody = z.strictObject({
  customerId: z.string().min(1), agentId: z.string().min(1).nullable().default(null), computer: z.string().min(1).nullable().default(null),
  schedule: windowScheduleSchema, reason: z.string().trim().min(1).max(1000), author: z.string().trim().min(1).max(200).optional(),
});
const silenceBody = z.strictObject({
  matchers: silenceMatchersSchema, endsAt: z.iso.datetime({ offset: true }), comment: z.string().trim().min(1).max(1000),
  author: z.string().trim().min(1).max(200).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new XpearsError('BODY_INVALID', `the body is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** GET/POST /v1/maintenance, POST /v1/maintenance/:id/end; GET/POST /v1/silences, POST /v1/silences/:id/expire.
 *  Each change is written to `audit` when given (the accounts' audit log), with the console's action names. */
export function registerNoiseRoutes(app: FastifyInstance, deps: { store: NoiseStore; clock: Clock; config: NoiseConfig; audit?: AuditSink }): void {
  const { store, clock, config } = deps;
  // Ending or expiring names no author in a body: the audit line names the token (a person, or `service`) alone.
  const audited = (op: ApiOperator, action: string, target: string, author?: string): void => {
    const a = author ? auditAs(op, author) : { actor: op.kind === 'user' ? op.login : 'service', detail: null };
    deps.audit?.audit(a.actor, action, target, a.detail);
  };
  app.get('/v1/maintenance', async () => store.windows());
  app.post('/v1/maintenance', async (req, reply) => {
    const op = requireApiPermission(req, 'noise.manage');
    const body = parse(windowBody, req.body);
    const author = actorOf(op, body.author, 'author');
    const window = store.addWindow({ ...body, author }, clock());
    audited(op, 'maintenance.add', window.id, author);
    return reply.code(201).send(window);
  });
  app.post<{ Params: { id: string } }>('/v1/maintenance/:id/end', async (req) => {
    const op = requireApiPermission(req, 'noise.manage');
    const ended = store.endWindow(req.params.id, clock());
    audited(op, 'maintenance.end', req.params.id);
    return { ended };
  });
  app.get('/v1/silences', async () => store.silences(clock(), config.silences.listAfterEndHours));
  app.post('/v1/silences', async (req, reply) => {
    const op = requireApiPermission(req, 'noise.manage');
    const body = parse(silenceBody, req.body);
    const author = actorOf(op, body.author, 'author');
    const silence = store.addSilence({ ...body, author }, clock(), config.silences.maxHours);
    audited(op, 'silence.add', silence.id, author);
    return reply.code(201).send(silence);
  });
  app.post<{ Params: { id: string } }>('/v1/silences/:id/expire', async (req) => {
    const op = requireApiPermission(req, 'noise.manage');
    const expired = store.expireSilence(req.params.id, clock());
    audited(op, 'silence.expire', req.params.id);
    return { expired };
  });
}
