// The CAS portal for designated contacts under /portal (same app as the console, its own cookie and role): sign-in by
// a one-time link mailed to the contact or by password (cases.portal.signIn), her customer's cases only (any other
// id answers 404, as a missing one), the public timeline (internal notes never), answer, close, reopen within
// cases.reopenDays, the new-case form with attachments, in Spanish or English (messages.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { createReadStream, existsSync } from 'node:fs';
import type { Language } from '../../../lib/people.js';
import type { Logger } from '../../../lib/logger.js';
import { LoginThrottle } from '../../accounts/throttle.js';
import type { AttachmentPolicy } from '../../cases/attachments.js';
import type { CaseService } from '../../cases/service.js';
import type { CaseTicket } from '../../cases/store.js';
import type { SafeHtml } from '../html.js';
import { sameSecret, CSP } from '../security.js';
import { casePage, casesPage, messagePage, newCasePage, PORTAL, type PortalChrome } from './pages.js';
import type { PortalSession, PortalSessions } from './sessions.js';
import { PortalPasswords } from './passwords.js';
import { registerDocuments } from './documents.js';
import { registerSignIn } from './signin.js';
import { registerActions } from './actions.js';

/** The portal's cookie. */
export const PORTAL_COOKIE = 'xpears_portal';

/** How contacts sign in (cases.portal.signIn): a mailed one-time link, a password, or either. */
export type PortalSignIn = 'link' | 'password' | 'both';

/** What the portal needs. */
export interface PortalDeps {
  cases: CaseService;
  sessions: PortalSessions;
  /** The collector's public address, for the link in the mail (never taken from the request's Host). */
  baseUrl: () => string;
  reopenDays: number;
  secure: boolean;
  /** How contacts sign in; 'link' when absent. */
  signIn?: PortalSignIn;
  /** The mail intake's attachment policy (size, executables, archives); without it the forms take no files. */
  attachments?: AttachmentPolicy;
  /** Failed password sign-ins, per address and per client (the console's limits by default). */
  throttle?: LoginThrottle;
  logger?: Logger;
}

type Req = FastifyRequest<{ Params: { number: string }; Body: Record<string, string> }>;

/** What the portal's route files share: who is asking, her own case, and sending a page. */
export interface PortalContext {
  deps: PortalDeps;
  passwords: PortalPasswords;
  throttle: LoginThrottle;
  send(reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply;
  viewer(req: FastifyRequest): PortalSession | undefined;
  /** The session, or a redirect to sign-in; with `post`, the form's `_csrf` must be the session's (else 403). */
  guard(req: FastifyRequest, reply: FastifyReply, post: boolean, body?: Record<string, unknown>): PortalSession | undefined;
  own(s: PortalSession, number: string): CaseTicket | undefined;
  chrome(s: PortalSession): PortalChrome & { csrf: string };
  /** The not-found page (a signed-in contact's keeps her menu). */
  notFound(reply: FastifyReply, who: PortalSession | Language, what?: 'case' | 'report'): FastifyReply;
}

function portalContext(deps: PortalDeps): PortalContext {
  const send = (reply: FastifyReply, page: SafeHtml, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page.value);
  const viewer = (req: FastifyRequest): PortalSession | undefined => {
    const id = req.cookies[PORTAL_COOKIE];
    return id ? deps.sessions.session(id) : undefined;
  };
  const chrome = (s: PortalSession) => ({ lang: s.language, csrf: s.csrf });
  return {
    deps, send, viewer, chrome,
    passwords: new PortalPasswords(deps.cases.tickets.deps.db),
    throttle: deps.throttle ?? new LoginThrottle(() => deps.cases.tickets.clock()),
    guard(req, reply, post, body) {
      const s = viewer(req);
      if (!s) { void reply.code(303).header('location', `${PORTAL}/login`).send(); return undefined; }
      const form = body ?? (req.body as Record<string, unknown> | undefined);
      if (post && !sameSecret(typeof form?._csrf === 'string' ? form._csrf : undefined, s.csrf)) {
        void send(reply, messagePage(chrome(s), 'forbidden.title', 'forbidden.csrf'), 403);
        return undefined;
      }
      return s;
    },
    // The contact's own case, or nothing: another customer's number answers as a missing one.
    own(s, number) {
      const t = deps.cases.get(number);
      return t && t.customerId === s.customerId ? t : undefined;
    },
    notFound: (reply, who, what = 'case') => send(reply, messagePage(typeof who === 'string' ? { lang: who } : chrome(who), 'notFound.title', what === 'case' ? 'notFound.case' : 'notFound.report'), 404),
  };
}

/** Registers the portal (call with app.register). */
export async function portalPlugin(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fieldSize: 64 * 1024, fields: 20, files: 10, parts: 40, fileSize: deps.attachments?.maxBytes ?? 1 } });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
    return payload;
  });
  const ctx = portalContext(deps);
  const { cases } = deps;
  app.get(PORTAL, async (_req, reply) => reply.code(303).header('location', `${PORTAL}/cases`).send());
  registerSignIn(app, ctx);
  app.get(`${PORTAL}/cases`, async (req: Req, reply) => {
    const s = ctx.guard(req, reply, false);
    if (!s) return reply;
    return ctx.send(reply, casesPage(ctx.chrome(s), cases.tickets.list({ customerId: s.customerId, limit: 500 }) as CaseTicket[]));
  });
  app.get(`${PORTAL}/cases/new`, async (req: Req, reply) => {
    const s = ctx.guard(req, reply, false);
    return s ? ctx.send(reply, newCasePage(ctx.chrome(s), deps.attachments?.maxBytes)) : reply;
  });
  app.get(`${PORTAL}/cases/:number`, async (req: Req, reply) => {
    const s = ctx.guard(req, reply, false);
    if (!s) return reply;
    const t = ctx.own(s, req.params.number);
    if (!t) return ctx.notFound(reply, s);
    return ctx.send(reply, casePage(ctx.chrome(s), t, caseView(deps, t)));
  });
  app.get(`${PORTAL}/attachments/:id`, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const s = ctx.guard(req, reply, false);
    if (!s) return reply;
    // The attachment's ticket must be the contact's customer's: another's id answers as a missing one.
    const a = cases.store.attachment(req.params.id);
    if (!a || !ctx.own(s, a.ticketId) || !existsSync(a.path)) return ctx.notFound(reply, s);
    return reply.type(a.contentType).header('content-disposition', `attachment; filename="${a.name.replace(/[^\w.-]/g, '_')}"`).send(createReadStream(a.path));
  });
  registerActions(app, ctx);
  registerDocuments(app, cases.tickets.deps.db, ctx);
}

/** What a case page shows besides the ticket: public comments, attachments, whether it may be reopened. */
export function caseView(deps: PortalDeps, t: CaseTicket): Parameters<typeof casePage>[2] {
  const closedAt = Date.parse(t.closedAt ?? t.resolvedAt ?? t.updatedAt);
  const canReopen = deps.cases.tickets.clock().getTime() - closedAt <= deps.reopenDays * 86_400_000;
  return { comments: deps.cases.store.comments(t.id, true), canReopen, files: deps.cases.store.attachments(t.id),
    ...(deps.attachments ? { maxBytes: deps.attachments.maxBytes } : {}) };
}
