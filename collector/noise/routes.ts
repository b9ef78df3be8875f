// Maintenance windows and silences over the collector's API, mounted behind the admin token like the ticket routes
// (CollectorAppDeps.adminRoutes). Errors are XpearsErrors (400 for a bad body, 404 for an unknown id).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { XpearsError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { NoiseConfig } from './config.js';
import { silenceMatchersSchema } from './match.js';
import { windowScheduleSchema } from './schedule.js';
import type { NoiseStore } from './store.js';

const windowBody = z.strictObject({
  customerId: z.string().min(1), agentId: z.string().min(1).nullable().default(null), computer: z.string().min(1).nullable().default(null),
  schedule: windowScheduleSchema, reason: z.string().trim().min(1).max(1000), author: z.string().trim().min(1).max(200),
});
const silenceBody = z.strictObject({
  matchers: silenceMatchersSchema, endsAt: z.iso.datetime({ offset: true }), comment: z.string().trim().min(1).max(1000),
  author: z.string().trim().min(1).max(200),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new XpearsError('BODY_INVALID', `the body is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** GET/POST /v1/maintenance, POST /v1/maintenance/:id/end; GET/POST /v1/silences, POST /v1/silences/:id/expire. */
export function registerNoiseRoutes(app: FastifyInstance, deps: { store: NoiseStore; clock: Clock; config: NoiseConfig }): void {
  const { store, clock, config } = deps;
  app.get('/v1/maintenance', async () => store.windows());
  app.post('/v1/maintenance', async (req, reply) => reply.code(201).send(store.addWindow(parse(windowBody, req.body), clock())));
  app.post<{ Params: { id: string } }>('/v1/maintenance/:id/end', async (req) => ({ ended: store.endWindow(req.params.id, clock()) }));
  app.get('/v1/silences', async () => store.silences(clock(), config.silences.listAfterEndHours));
  app.post('/v1/silences', async (req, reply) => reply.code(201).send(store.addSilence(parse(silenceBody, req.body), clock(), config.silences.maxHours)));
  app.post<{ Params: { id: string } }>('/v1/silences/:id/expire', async (req) => ({ expired: store.expireSilence(req.params.id, clock()) }));
}
