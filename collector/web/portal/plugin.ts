// The CAS portal for designated contacts under /portal (same app as the console, its own cookie and role): sign-in by
// a one-time link mailed to the contact, her customer's cases only (any other id answers 404, as a missing one),
// the public timeline (internal notes never), answer, close, reopen within cases.reopenDays, and the new-case form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import { createReadStream, existsSync } from 'node:fs';
import formbody from '@fastify/formbody';
import { defineTemplate } from '../../notify/template.js';
import type { CaseService } from '../../cases/service.js';
import type { CaseTicket } from '../../cases/store.js';
import { sameSecret, CSP } from '../security.js';
import { casePage, casesPage, newCasePage, portalPage, PORTAL, signInPage } from './pages.js';
import type { PortalSession, PortalSessions } from './sessions.js';
import { html } from '../html.js';
import { registerDocuments } from './documents.js';

/** The portal's cookie. */
export const PORTAL_COOKIE = 'xpears_portal';

/** What the portal needs. */
export interface PortalDeps {
  cases: CaseService;
  sessions: PortalSessions;
  /** The collector's public address, for the link in the mail (never taken from the request's Host). */
  baseUrl: () => string;
  reopenDays: number;
  secure: boolean;
}

/** The sign-in link mail. */
export const portalLinkMail = defineTemplate({
  id: 'portal/sign-in-link',
  variables: ['recipientName', 'url'],
  es: { subject: 'Su enlace para ingresar al portal del CAS', text: 'Hola {{recipientName}}:\n\nPara ingresar al portal del CAS abra este enlace (sirve una sola vez y vence en minutos):\n{{url}}\n\nSi no lo pidió, ignore este correo.\n\nXpears Services — Centro de Asistencia y Soporte (CAS)\n' },
  en: { subject: 'Your link to the CAS portal', text: 'Hello {{recipientName}},\n\nOpen this link to sign in to the CAS portal (it works once and expires in minutes):\n{{url}}\n\nIf you did not ask for it, ignore this mail.\n\nXpears Services — Support Centre (CAS)\n' },
});

type Req = FastifyRequest<{ Params: { number: string }; Body: Record<string, string> }>;
const send = (reply: FastifyReply, page: { value: string }, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page.value);
const notFound = (reply: FastifyReply) => send(reply, portalPage('No encontrado', html`<p>No hay un caso con ese número entre los suyos.</p>`, true), 404);

/** Registers the portal (call with app.register). */
export async function portalPlugin(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  const { cases, sessions } = deps;
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
    return payload;
  });
  const viewer = (req: FastifyRequest): PortalSession | undefined => {
    const id = req.cookies[PORTAL_COOKIE];
    return id ? sessions.session(id) : undefined;
  };
  // The contact's own case, or nothing: another customer's number answers as a missing one.
  const own = (s: PortalSession, number: string): CaseTicket | undefined => {
    const t = cases.get(number);
    return t && t.customerId === s.customerId ? t : undefined;
  };
  const guard = (req: Req, reply: FastifyReply, post: boolean): PortalSession | undefined => {
    const s = viewer(req);
    if (!s) { void reply.code(303).header('location', `${PORTAL}/login`).send(); return undefined; }
    if (post && !sameSecret(req.body?._csrf, s.csrf)) { void send(reply, portalPage('Prohibido', html`<p>El formulario venció; vuelva a intentarlo.</p>`, true), 403); return undefined; }
    return s;
  };

  app.get(PORTAL, async (_req, reply) => reply.code(303).header('location', `${PORTAL}/cases`).send());
  registerSignIn(app, deps);
  app.get(`${PORTAL}/cases`, async (req: Req, reply) => {
    const s = guard(req, reply, false);
    if (!s) return reply;
    return send(reply, casesPage(cases.tickets.list({ customerId: s.customerId, limit: 500 }) as CaseTicket[]));
  });
  app.get(`${PORTAL}/cases/new`, async (req: Req, reply) => {
    const s = guard(req, reply, false);
    return s ? send(reply, newCasePage(s.csrf)) : reply;
  });
  app.get(`${PORTAL}/cases/:number`, async (req: Req, reply) => {
    const s = guard(req, reply, false);
    if (!s) return reply;
    const t = own(s, req.params.number);
    if (!t) return notFound(reply);
    const closedAt = Date.parse(t.closedAt ?? t.resolvedAt ?? t.updatedAt);
    const canReopen = cases.tickets.clock().getTime() - closedAt <= deps.reopenDays * 86_400_000;
    return send(reply, casePage(t, cases.store.comments(t.id, true), s.csrf, canReopen, cases.store.attachments(t.id)));
  });
  app.get(`${PORTAL}/attachments/:id`, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const s = guard(req as unknown as Req, reply, false);
    if (!s) return reply;
    // The attachment's ticket must be the contact's customer's: another's id answers as a missing one.
    const a = cases.store.attachment(req.params.id);
    if (!a || !own(s, a.ticketId) || !existsSync(a.path)) return notFound(reply);
    return reply.type(a.contentType).header('content-disposition', `attachment; filename="${a.name.replace(/[^\w.-]/g, '_')}"`).send(createReadStream(a.path));
  });
  registerActions(app, deps, guard, own);
  registerDocuments(app, cases.tickets.deps.db, (req, reply) => guard(req as Req, reply, false));
}

// Sign-in: the form, the one-time link mailed to a designated contact, and redeeming it for a session cookie.
function registerSignIn(app: FastifyInstance, deps: PortalDeps): void {
  const { cases, sessions } = deps;
  app.get(`${PORTAL}/login`, async (req: FastifyRequest<{ Querystring: { sent?: string } }>, reply) => send(reply, signInPage(req.query.sent === '1')));
  app.post(`${PORTAL}/login`, async (req: Req, reply) => {
    const email = String(req.body?.email ?? '').trim().toLowerCase();
    for (const customer of cases.tickets.deps.registry.listCustomers()) {
      const contact = customer.contacts.find((c) => c.email.toLowerCase() === email);
      if (!contact) continue;
      const url = `${deps.baseUrl()}${PORTAL}/link/${sessions.createLink(customer.id, email)}`;
      cases.tickets.deps.queue.enqueue({ channel: 'email', to: [contact.email], message: portalLinkMail.render(contact.language, { recipientName: contact.name, url }) });
      break;
    }
    // The same answer for any address: the form does not tell who is a contact.
    return reply.code(303).header('location', `${PORTAL}/login?sent=1`).send();
  });
  app.get(`${PORTAL}/link/:token`, async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const spent = sessions.redeem(req.params.token);
    if (!spent) return send(reply, portalPage('Enlace vencido', html`<p>El enlace venció o ya se usó. <a href="${PORTAL}/login">Pida otro</a>.</p>`), 410);
    void reply.setCookie(PORTAL_COOKIE, spent.sessionId, { path: PORTAL, httpOnly: true, sameSite: 'strict', secure: deps.secure });
    return reply.code(303).header('location', `${PORTAL}/cases`).send();
  });
}

type Guard = (req: Req, reply: FastifyReply, post: boolean) => PortalSession | undefined;

// The contact's actions: a new case, an answer, closing and reopening; each on her own customer's case only.
function registerActions(app: FastifyInstance, deps: PortalDeps, guard: Guard, own: (s: PortalSession, n: string) => CaseTicket | undefined): void {
  const { cases } = deps;
  const contactOf = (s: PortalSession) => cases.contactOf(s.customerId, s.email);
  app.post(`${PORTAL}/cases`, async (req: Req, reply) => {
    const s = guard(req, reply, true);
    if (!s) return reply;
    const contact = contactOf(s);
    const b = req.body ?? {};
    const priority = Number(b.priority);
    const t = cases.open({ customerId: s.customerId, origin: 'portal', requester: { name: contact?.name ?? s.email, email: s.email, language: contact?.language ?? 'es' },
      title: String(b.title ?? ''), description: String(b.description ?? ''), vendor: b.vendor ?? null, product: b.product ?? null,
      productVersion: b.productVersion ?? null, os: b.os ?? null, osVersion: b.osVersion ?? null,
      priority: ([1, 2, 3, 4].includes(priority) ? priority : 3) as 1 | 2 | 3 | 4 }, cases.tickets.clock());
    return reply.code(303).header('location', `${PORTAL}/cases/${t.number}`).send();
  });
  const action = (name: string, run: (s: PortalSession, t: CaseTicket, body: Record<string, string>) => void): void => {
    app.post(`${PORTAL}/cases/:number/${name}`, async (req: Req, reply) => {
      const s = guard(req, reply, true);
      if (!s) return reply;
      const t = own(s, req.params.number);
      if (!t) return notFound(reply);
      run(s, t, req.body ?? {});
      return reply.code(303).header('location', `${PORTAL}/cases/${t.number}`).send();
    });
  };
  action('reply', (s, t, b) => { cases.comment(t.id, { author: s.email, authorKind: 'contact', visibility: 'public', via: 'portal', body: String(b.body ?? '') }, cases.tickets.clock()); });
  action('close', (s, t) => { cases.tickets.close(t.id, s.email, 'cerrado por el contacto en el portal', cases.tickets.clock()); });
  action('reopen', (s, t) => { cases.reopen(t.id, s.email, deps.reopenDays, cases.tickets.clock()); });
}
