// The portal's sign-in, as cases.portal.signIn says: 'link' (a one-time link mailed to the contact), 'password' (her
// password, set through a one-time link mailed to her), or 'both'. A way the setting turns off answers 404, links
// already mailed included. Password failures are throttled like the console's (per address and per client); the
// password form carries a double-submit token against login CSRF. Also the language switch and signing out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Language } from '../../../lib/people.js';
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords.js';
import type { Contact } from '../../registry/types.js';
import { defineTemplate } from '../../notify/template.js';
import { html, type SafeHtml } from '../html.js';
import { sameSecret } from '../security.js';
import { messagePage, portalPage, PORTAL } from './pages.js';
import { portalLanguage, pt, type PortalKey } from './messages.js';
import { PORTAL_COOKIE, type PortalContext } from './plugin.js';

const LOGIN_COOKIE = 'xpears_portal_login';

/** The sign-in link mail. */
export const portalLinkMail = defineTemplate({
  id: 'portal/sign-in-link',
  variables: ['recipientName', 'url'],
  es: { subject: 'Su enlace para ingresar al portal del CAS', text: 'Hola {{recipientName}}:\n\nPara ingresar al portal del CAS abra este enlace (sirve una sola vez y vence en minutos):\n{{url}}\n\nSi no lo pidió, ignore este correo.\n\nXpears Services — Centro de Asistencia y Soporte (CAS)\n' },
  en: { subject: 'Your link to the CAS portal', text: 'Hello {{recipientName}},\n\nOpen this link to sign in to the CAS portal (it works once and expires in minutes):\n{{url}}\n\nIf you did not ask for it, ignore this mail.\n\nXpears Services — Support Centre (CAS)\n' },
});

/** The set-password link mail. */
export const portalPasswordMail = defineTemplate({
  id: 'portal/password-link',
  variables: ['recipientName', 'url'],
  es: { subject: 'Fije su contraseña del portal del CAS', text: 'Hola {{recipientName}}:\n\nPara fijar (o cambiar) su contraseña del portal del CAS abra este enlace (sirve una sola vez y vence en minutos):\n{{url}}\n\nSi no lo pidió, ignore este correo: su contraseña actual sigue valiendo.\n\nXpears Services — Centro de Asistencia y Soporte (CAS)\n' },
  en: { subject: 'Set your CAS portal password', text: 'Hello {{recipientName}},\n\nOpen this link to set (or change) your CAS portal password (it works once and expires in minutes):\n{{url}}\n\nIf you did not ask for it, ignore this mail: your current password still works.\n\nXpears Services — Support Centre (CAS)\n' },
});

type Form = Record<string, string | undefined>;
const bodyOf = (req: FastifyRequest): Form => (req.body ?? {}) as Form;
const see = (reply: FastifyReply, to: string) => reply.code(303).header('location', to).send();

// The designated contact with this address, in whichever customer lists it.
function findContact(ctx: PortalContext, email: string): { customerId: string; contact: Contact } | undefined {
  for (const customer of ctx.deps.cases.tickets.deps.registry.listCustomers()) {
    const contact = customer.contacts.find((c) => c.email.toLowerCase() === email);
    if (contact) return { customerId: customer.id, contact };
  }
  return undefined;
}

// The sign-in page: the forms the setting allows, a notice or an error above them.
function signInPage(reply: FastifyReply, ctx: PortalContext, lang: Language, notice?: { key: PortalKey; role: 'alert' | 'status' }, status = 200): FastifyReply {
  const mode = ctx.deps.signIn ?? 'link';
  const token = randomBytes(24).toString('base64url');
  // The password form's double-submit token (a link request needs none: it only mails the contact).
  if (mode !== 'link') void reply.setCookie(LOGIN_COOKIE, token, { path: `${PORTAL}/login`, httpOnly: true, sameSite: 'strict', secure: ctx.deps.secure });
  const langField = html`<input type="hidden" name="lang" value="${lang}">`;
  const email = html`<label>${pt(lang, 'signin.email')} <input type="email" name="email" required></label>`;
  const byLink = mode === 'password' ? '' : html`<h2>${pt(lang, 'signin.byLink')}</h2><form method="post" action="${PORTAL}/login" id="link-form">${langField}${email}
<button type="submit">${pt(lang, 'signin.sendLink')}</button></form>`;
  const byPassword = mode === 'link' ? '' : html`<h2>${pt(lang, 'signin.byPassword')}</h2><form method="post" action="${PORTAL}/login/password" id="password-form">${langField}
<input type="hidden" name="_login" value="${token}">${email}<label>${pt(lang, 'signin.password')} <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">${pt(lang, 'signin.submit')}</button></form>
<h2>${pt(lang, 'signin.setTitle')}</h2><form method="post" action="${PORTAL}/password/link" id="set-form">${langField}${email}<button type="submit">${pt(lang, 'signin.sendSetLink')}</button></form>`;
  const note: SafeHtml | '' = notice ? html`<p role="${notice.role}">${pt(lang, notice.key)}</p>` : '';
  return ctx.send(reply, portalPage({ lang }, pt(lang, 'signin.title'), html`${note}${byLink}${byPassword}`), status);
}

/** Registers sign-in (link and password), the set-password link, the language switch and sign-out. */
export function registerSignIn(app: FastifyInstance, ctx: PortalContext): void {
  const { deps } = ctx;
  const mode = deps.signIn ?? 'link';
  const links = mode !== 'password';
  const passwords = mode !== 'link';
  const startSession = (req: FastifyRequest, reply: FastifyReply, customerId: string, contact: Contact) => {
    const { sessionId } = deps.sessions.open(customerId, contact.email, contact.language);
    void reply.setCookie(PORTAL_COOKIE, sessionId, { path: PORTAL, httpOnly: true, sameSite: 'strict', secure: deps.secure });
    if (req.cookies[LOGIN_COOKIE]) void reply.clearCookie(LOGIN_COOKIE, { path: `${PORTAL}/login` });
    return see(reply, `${PORTAL}/cases`);
  };
  const mailLink = (req: FastifyRequest, purpose: 'sign-in' | 'password'): string => {
    const b = bodyOf(req);
    const found = findContact(ctx, String(b.email ?? '').trim().toLowerCase());
    if (found) {
      const token = deps.sessions.createLink(found.customerId, found.contact.email, purpose);
      const path = purpose === 'sign-in' ? `link/${token}` : `password/${token}?lang=${found.contact.language}`;
      const template = purpose === 'sign-in' ? portalLinkMail : portalPasswordMail;
      deps.cases.tickets.deps.queue.enqueue({ channel: 'email', to: [found.contact.email],
        message: template.render(found.contact.language, { recipientName: found.contact.name, url: `${deps.baseUrl()}${PORTAL}/${path}` }) });
    }
    // The sign-in page answers in the language the form was read in (Spanish needs no parameter).
    return b.lang === 'en' ? '&lang=en' : '';
  };

  app.get<{ Querystring: { sent?: string; set?: string; lang?: string } }>(`${PORTAL}/login`, async (req, reply) => {
    const notice = req.query.sent === '1' ? 'signin.sent' : req.query.set === '1' ? 'signin.setSent' : undefined;
    return signInPage(reply, ctx, portalLanguage(req.query.lang), notice ? { key: notice, role: 'status' } : undefined);
  });
  // The same answer for any address: the forms do not tell who is a contact.
  app.post(`${PORTAL}/login`, async (req, reply) => (links ? see(reply, `${PORTAL}/login?sent=1${mailLink(req, 'sign-in')}`) : ctx.notFound(reply, 'es')));
  app.post(`${PORTAL}/password/link`, async (req, reply) => (passwords ? see(reply, `${PORTAL}/login?set=1${mailLink(req, 'password')}`) : ctx.notFound(reply, 'es')));
  app.get<{ Params: { token: string } }>(`${PORTAL}/link/:token`, async (req, reply) => {
    if (!links) return ctx.notFound(reply, 'es');
    const spent = deps.sessions.spend(req.params.token, 'sign-in');
    const contact = spent ? deps.cases.contactOf(spent.customerId, spent.email) : undefined;
    if (!spent || !contact) return ctx.send(reply, expiredPage('es'), 410);
    return startSession(req, reply, spent.customerId, contact);
  });
  registerPasswordLogin(app, ctx, passwords, startSession);
  registerSetPassword(app, ctx, passwords, startSession);
  registerSessionForms(app, ctx);
}

type StartSession = (req: FastifyRequest, reply: FastifyReply, customerId: string, contact: Contact) => FastifyReply;

// The password form: its double-submit token, the throttle (per address and per client), then the argon2id check.
function registerPasswordLogin(app: FastifyInstance, ctx: PortalContext, enabled: boolean, startSession: StartSession): void {
  app.post(`${PORTAL}/login/password`, async (req, reply) => {
    if (!enabled) return ctx.notFound(reply, 'es');
    const b = bodyOf(req);
    const lang = portalLanguage(b.lang);
    if (!sameSecret(b._login, req.cookies[LOGIN_COOKIE])) return ctx.send(reply, messagePage({ lang }, 'forbidden.title', 'forbidden.csrf'), 403);
    const email = String(b.email ?? '').trim().toLowerCase();
    if (ctx.throttle.blocked(email, req.ip)) {
      ctx.deps.logger?.warn({ email, ip: req.ip }, 'portal sign-in throttled');
      return signInPage(reply, ctx, lang, { key: 'signin.throttled', role: 'alert' }, 429);
    }
    const found = findContact(ctx, email);
    if (!(await ctx.passwords.check(found?.contact.email, String(b.password ?? '')))) {
      ctx.throttle.fail(email, req.ip);
      ctx.deps.logger?.warn({ email, ip: req.ip }, 'portal sign-in failed');
      return signInPage(reply, ctx, lang, { key: 'signin.failed', role: 'alert' }, 401);
    }
    ctx.throttle.succeed(email);
    return startSession(req, reply, found!.customerId, found!.contact);
  });
}

const expiredPage = (lang: Language): SafeHtml => portalPage({ lang }, pt(lang, 'link.expiredTitle'),
  html`<p role="alert">${pt(lang, 'link.expired')} <a href="${PORTAL}/login?lang=${lang}">${pt(lang, 'link.again')}</a>.</p>`);

// The set-password form behind a mailed link: shown while the link is valid; a good password spends it and signs in.
function registerSetPassword(app: FastifyInstance, ctx: PortalContext, enabled: boolean, startSession: StartSession): void {
  type R = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string } }>;
  const form = (reply: FastifyReply, req: R, error?: SafeHtml, status = 200) => {
    const lang = portalLanguage(req.query.lang);
    return ctx.send(reply, portalPage({ lang }, pt(lang, 'password.title'), html`${error ?? ''}<form method="post" id="new-password">
<label>${pt(lang, 'password.new')} <input type="password" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required></label>
<label>${pt(lang, 'password.repeat')} <input type="password" name="repeat" autocomplete="new-password" required></label>
<button type="submit">${pt(lang, 'password.submit')}</button></form>`), status);
  };
  app.get(`${PORTAL}/password/:token`, async (req: R, reply) => {
    if (!enabled) return ctx.notFound(reply, 'es');
    return ctx.deps.sessions.valid(req.params.token, 'password') ? form(reply, req) : ctx.send(reply, expiredPage(portalLanguage(req.query.lang)), 410);
  });
  app.post(`${PORTAL}/password/:token`, async (req: R, reply) => {
    if (!enabled) return ctx.notFound(reply, 'es');
    const lang = portalLanguage(req.query.lang);
    const b = bodyOf(req);
    const password = String(b.password ?? '');
    if (password.length < MIN_PASSWORD_LENGTH) return form(reply, req, html`<p role="alert">${pt(lang, 'password.short', { n: MIN_PASSWORD_LENGTH })}</p>`, 422);
    if (password !== b.repeat) return form(reply, req, html`<p role="alert">${pt(lang, 'password.mismatch')}</p>`, 422);
    const hash = await ctx.passwords.hash(password);
    const spent = ctx.deps.sessions.spend(req.params.token, 'password');
    const contact = spent ? ctx.deps.cases.contactOf(spent.customerId, spent.email) : undefined;
    if (!spent || !contact) return ctx.send(reply, expiredPage(lang), 410);
    ctx.passwords.store(contact.email, hash, ctx.deps.cases.tickets.clock().toISOString());
    ctx.deps.logger?.info({ email: contact.email }, 'portal password set');
    return startSession(req, reply, spent.customerId, contact);
  });
}

// A signed-in contact's header forms: the language of her pages, and signing out.
function registerSessionForms(app: FastifyInstance, ctx: PortalContext): void {
  app.post(`${PORTAL}/language`, async (req, reply) => {
    const s = ctx.guard(req, reply, true);
    if (!s) return reply;
    ctx.deps.sessions.setLanguage(req.cookies[PORTAL_COOKIE]!, portalLanguage(bodyOf(req).language));
    return see(reply, `${PORTAL}/cases`);
  });
  app.post(`${PORTAL}/logout`, async (req, reply) => {
    const s = ctx.guard(req, reply, true);
    if (!s) return reply;
    ctx.deps.sessions.end(req.cookies[PORTAL_COOKIE]!);
    void reply.clearCookie(PORTAL_COOKIE, { path: PORTAL });
    return see(reply, `${PORTAL}/login?lang=${s.language}`);
  });
}
