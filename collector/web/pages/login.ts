// Login and logout. The login form, before any session, is guarded by a double-submit cookie; failures are throttled
// per account and per address (the CSRF check of the other POSTs is the plugin's hook); a success opens a session cookie (HttpOnly, SameSite=Lax, Secure under HTTPS).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { LoginThrottle } from '../../accounts/index.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { BASE, page } from '../layout.js';
import { sendHtml, seeOther, viewerOf, type ConsoleDeps } from '../context.js';
import { SESSION_COOKIE, sameSecret } from '../security.js';
import { XpearsError } from '../../../lib/errors.js';

const LOGIN_COOKIE = 'xpears_login';

function loginPage(reply: FastifyReply, secure: boolean, message?: { kind: 'error' | 'ok'; text: string }, status = 200): FastifyReply {
  const token = randomBytes(24).toString('base64url');
  void reply.setCookie(LOGIN_COOKIE, token, { path: `${BASE}/login`, httpOnly: true, sameSite: 'strict', secure });
  const body = html`<form method="post" action="${BASE}/login" class="login">
    <input type="hidden" name="_login" value="${token}">
    <label>${t('es', 'login.login')} / Login <input name="login" autocomplete="username" required autofocus></label>
    <label>${t('es', 'login.password')} / Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">${t('es', 'login.submit')}</button></form>`;
  return sendHtml(reply, page(undefined, t('es', 'login.title'), body, message ? { flash: message } : {}), status);
}

/** GET/POST /console/login, POST /console/logout, POST /console/language. */
export function registerLogin(app: FastifyInstance, deps: ConsoleDeps): void {
  const secure = Boolean(deps.secure);
  const throttle = deps.throttle ?? new LoginThrottle(deps.clock);
  const cookie = { path: BASE, httpOnly: true, sameSite: 'lax' as const, secure };

  app.get<{ Querystring: { expired?: string } }>(`${BASE}/login`, async (req, reply) =>
    loginPage(reply, secure, req.query.expired ? { kind: 'error', text: t('es', 'login.expired') } : undefined));

  app.post(`${BASE}/login`, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!sameSecret(typeof body._login === 'string' ? body._login : undefined, req.cookies[LOGIN_COOKIE])) {
      throw new XpearsError('FORBIDDEN', 'the login form token is missing or wrong', { reason: 'csrf' });
    }
    const login = typeof body.login === 'string' ? body.login.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (throttle.blocked(login, req.ip)) {
      deps.logger.warn({ login, ip: req.ip }, 'console login throttled');
      return loginPage(reply, secure, { kind: 'error', text: t('es', 'login.throttled') }, 429);
    }
    const user = login && password ? await deps.accounts.checkPassword(login, password) : undefined;
    if (!user) {
      throttle.fail(login, req.ip);
      deps.logger.warn({ login, ip: req.ip }, 'console login failed');
      return loginPage(reply, secure, { kind: 'error', text: t('es', 'login.failed') }, 401);
    }
    throttle.succeed(login);
    const session = deps.accounts.login(user, req.ip);
    void reply.clearCookie(LOGIN_COOKIE, { path: `${BASE}/login` });
    void reply.setCookie(SESSION_COOKIE, session.token, cookie);
    deps.logger.info({ login: user.login }, 'console login');
    return seeOther(reply, `${BASE}/queue`);
  });

  app.post(`${BASE}/logout`, async (req, reply) => {
    viewerOf(req);
    const token = req.cookies[SESSION_COOKIE];
    if (token) deps.accounts.sessions.end(token);
    void reply.clearCookie(SESSION_COOKIE, { path: BASE });
    return seeOther(reply, `${BASE}/login`);
  });

  app.post(`${BASE}/language`, async (req, reply) => {
    const viewer = viewerOf(req);
    const language = (req.body as Record<string, unknown> | undefined)?.language === 'en' ? 'en' : 'es';
    deps.accounts.setLanguage(viewer.user.login, language, viewer.user.login);
    return seeOther(reply, `${BASE}/queue`);
  });
}
