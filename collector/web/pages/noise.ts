// The console's "Mantenimiento y silencios" page (docs/console.md): lists maintenance windows and silences; l2, l3
// and leads create a window (one-off, weekly or monthly, in the CLI's words) or a silence, end a window and expire a silence, each attributed to their login.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { XpearsError } from '../../../lib/errors.js';
import { noiseFor } from '../../noise/context.js';
import { silenceMatchersSchema, type SilenceMatchers } from '../../noise/match.js';
import { parseMonthly, parseWeekly, type WindowSchedule } from '../../noise/schedule.js';
import { BASE, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps } from '../context.js';
import { DEFAULT_ZONE, noiseBody } from './noise-view.js';
import { nt } from './noise-messages.js';

type Form = Record<string, unknown>;
const field = (body: Form, name: string): string => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');

/** A datetime-local value ("2026-03-21T22:00") read in a zone, as an ISO instant with offset. */
export function localToIso(value: string, zone: string): string {
  const d = DateTime.fromISO(value, { zone });
  if (!value || !d.isValid) throw new XpearsError('INVALID_ARGUMENT', 'the date and time are not valid');
  return d.toUTC().toISO({ suppressMilliseconds: true })!;
}

function zoneOf(deps: ConsoleDeps, customerId: string | undefined): string {
  return (customerId && deps.registry.getCustomer(customerId)?.timezone) || DEFAULT_ZONE;
}

/** "weekly sat,sun 22:00-02:00" or "monthly first-sun 06:00-10:00", as the CLI's --weekly and --monthly take them. */
export function recurringSchedule(text: string): WindowSchedule {
  const [kind, days, hours, extra] = text.trim().split(/\s+/);
  try {
    if (extra === undefined && days && hours && kind === 'weekly') return parseWeekly(days, hours);
    if (extra === undefined && days && hours && kind === 'monthly') return parseMonthly(days, hours);
  } catch { /* reported below, with the form the field takes */ }
  throw new XpearsError('INVALID_ARGUMENT', `recurring window "${text.slice(0, 100)}" not understood: write "weekly sat 22:00-02:00" or "monthly first-sun 06:00-10:00"`);
}

function createWindow(deps: ConsoleDeps, body: Form, author: string): string {
  const customerId = field(body, 'customer');
  const customer = deps.registry.getCustomer(customerId);
  if (!customer) throw new XpearsError('INVALID_ARGUMENT', `unknown customer "${customerId}"`);
  const agentId = field(body, 'agent') || null;
  if (agentId && !deps.registry.listAgents(customerId).some((a) => a.id === agentId)) {
    throw new XpearsError('INVALID_ARGUMENT', `customer ${customerId} has no agent "${agentId}"`);
  }
  const zone = zoneOf(deps, customerId);
  const recurring = field(body, 'recurring');
  const schedule = recurring ? recurringSchedule(recurring) : { kind: 'once' as const, from: localToIso(field(body, 'from'), zone), to: localToIso(field(body, 'to'), zone) };
  const noise = noiseFor(deps.db);
  return noise.store.addWindow({ customerId, agentId, computer: field(body, 'computer') || null, schedule, reason: field(body, 'reason').slice(0, 1000), author }, deps.clock()).id;
}

function createSilence(deps: ConsoleDeps, body: Form, author: string): string {
  const raw: Record<string, string> = {};
  for (const k of ['customer', 'vendor', 'eventType', 'computer', 'threat', 'rule']) if (field(body, k)) raw[k] = field(body, k).slice(0, 200);
  const parsed = silenceMatchersSchema.safeParse(raw);
  if (!parsed.success) throw new XpearsError('INVALID_ARGUMENT', parsed.error.issues.map((i) => i.message).join('; '));
  const matchers: SilenceMatchers = parsed.data;
  if (matchers.customer && !deps.registry.getCustomer(matchers.customer)) throw new XpearsError('INVALID_ARGUMENT', `unknown customer "${matchers.customer}"`);
  const noise = noiseFor(deps.db);
  const endsAt = localToIso(field(body, 'endsAt'), zoneOf(deps, matchers.customer));
  return noise.store.addSilence({ matchers, endsAt, comment: field(body, 'comment').slice(0, 1000), author }, deps.clock(), noise.config.silences.maxHours).id;
}

/** GET /console/maintenance and its POST actions. */
export function registerNoisePage(app: FastifyInstance, deps: ConsoleDeps): void {
  const show = (req: FastifyRequest, flash?: string) => {
    const viewer = requirePermission(req, 'view');
    const lang = langOf(req);
    return page(viewer, nt(lang, 'title'), noiseBody(deps, noiseFor(deps.db), viewer, lang), { current: '/maintenance', ...(flash ? { flash: { kind: 'ok' as const, text: flash } } : {}) });
  };
  app.get<{ Querystring: { done?: string } }>(`${BASE}/maintenance`, async (req, reply) => {
    const done = typeof req.query.done === 'string' && /^[MS]-\d+$/.test(req.query.done) ? req.query.done : undefined;
    return sendHtml(reply, show(req, done ? nt(langOf(req), 'done', { id: done }) : undefined));
  });
  app.post(`${BASE}/maintenance`, async (req, reply) => {
    const viewer = requirePermission(req, 'noise.manage');
    const id = createWindow(deps, (req.body ?? {}) as Form, viewer.user.login);
    deps.accounts.audit(viewer.user.login, 'maintenance.add', id);
    return seeOther(reply, `${BASE}/maintenance?done=${id}`);
  });
  app.post(`${BASE}/silences`, async (req, reply) => {
    const viewer = requirePermission(req, 'noise.manage');
    const id = createSilence(deps, (req.body ?? {}) as Form, viewer.user.login);
    deps.accounts.audit(viewer.user.login, 'silence.add', id);
    return seeOther(reply, `${BASE}/maintenance?done=${id}`);
  });
  app.post<{ Params: { id: string } }>(`${BASE}/maintenance/:id/end`, async (req, reply) => {
    const viewer = requirePermission(req, 'noise.manage');
    noiseFor(deps.db).store.endWindow(req.params.id, deps.clock());
    deps.accounts.audit(viewer.user.login, 'maintenance.end', req.params.id);
    return seeOther(reply, `${BASE}/maintenance?done=${req.params.id}`);
  });
  app.post<{ Params: { id: string } }>(`${BASE}/silences/:id/expire`, async (req, reply) => {
    const viewer = requirePermission(req, 'noise.manage');
    noiseFor(deps.db).store.expireSilence(req.params.id, deps.clock());
    deps.accounts.audit(viewer.user.login, 'silence.expire', req.params.id);
    return seeOther(reply, `${BASE}/maintenance?done=${req.params.id}`);
  });
}
