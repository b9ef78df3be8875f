// The console's guards: security headers on every answer, who is asking (session cookie or personal token), and the
// CSRF token every form POST of a session must carry.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { XpearsError } from '../../lib/errors.js';
import { setViewer, type ConsoleDeps } from './context.js';
import { BASE } from './layout.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'xpears_session';

/** The Content-Security-Policy: nothing inline, nothing from elsewhere. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
  + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Adds the security headers to every console answer. */
export function securityHeaders(app: FastifyInstance, secure: boolean): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (secure) reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
}

/** Whether two secrets are equal, in constant time. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a); const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const PUBLIC = new Set([`${BASE}/login`]);

/** The auth hook: a live session (cookie) or a personal token (Bearer xpu_…); else a redirect to login or 401. */
export function authenticate(deps: ConsoleDeps) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = req.url.split('?')[0]!;
    if (PUBLIC.has(path) || path.startsWith(`${BASE}/static/`)) return;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      const user = deps.accounts.userOfToken(bearer);
      if (!user) throw new XpearsError('AUTH_INVALID', undefined, { reason: 'user-token' });
      setViewer(req, { user, via: 'token' });
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    const session = cookie ? deps.accounts.session(cookie) : undefined;
    if (session) {
      setViewer(req, { user: session.user, csrf: session.csrf, via: 'session' });
      return;
    }
    if (path.startsWith(`${BASE}/api/`)) throw new XpearsError('AUTH_MISSING', 'log in to the console or send a personal token');
    await reply.code(303).header('location', `${BASE}/login${cookie ? '?expired=1' : ''}`).send();
  };
}

/** The CSRF check for a session's POST: the form's `_csrf` must equal the session's token. */
export function checkCsrf(req: FastifyRequest, expected: string | undefined): void {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const given = typeof body._csrf === 'string' ? body._csrf : req.headers['x-csrf-token'] as string | undefined;
  if (!sameSecret(given, expected)) throw new XpearsError('FORBIDDEN', 'the CSRF token is missing or wrong', { reason: 'csrf' });
}
