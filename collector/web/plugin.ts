// The CAS console as a fastify plugin under /console: cookies and form bodies in its own scope, security headers,
// who is asking (session or personal token), the CSRF check on every session POST, error pages, and the pages.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { XpearsError } from '../../lib/errors.js';
import { html } from './html.js';
import { t, type MessageKey } from './i18n.js';
import { BASE, page } from './layout.js';
import { langOf, sendHtml, viewerOf, type ConsoleDeps } from './context.js';
import { authenticate, checkCsrf, securityHeaders } from './security.js';
import { registerStatic } from './static.js';
import { registerLogin } from './pages/login.js';
import { registerQueue } from './pages/queue.js';
import { registerTicketPage } from './pages/ticket.js';
import { registerUserPages } from './pages/users.js';
import { registerOperationPages } from './pages/operations.js';
import { registerReportPages } from './pages/reports.js';
import { registerCustomerPages } from './pages/customers.js';
import { registerCasePages } from './pages/cases.js';
import { registerNoisePage } from './pages/noise.js';

function onError(deps: ConsoleDeps) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const x = (err as unknown) instanceof XpearsError ? (err as unknown as XpearsError) : null;
    const status = x?.status ?? (err.statusCode && err.statusCode >= 400 ? err.statusCode : 500);
    if (status >= 500) deps.logger.error({ err, url: req.url }, 'console request failed');
    else deps.logger.warn({ code: x?.code ?? err.code, url: req.url, ip: req.ip }, 'console request refused');
    const path = req.url.split('?')[0]!;
    if (path.startsWith(`${BASE}/api/`) || req.headers.authorization) {
      return reply.code(status).send({ error: x?.code ?? 'INTERNAL', message: status >= 500 ? 'internal error' : err.message });
    }
    const lang = langOf(req);
    const csrf = (x?.details as { reason?: string } | undefined)?.reason === 'csrf';
    const key: MessageKey = csrf ? 'error.csrf' : status === 403 ? 'error.forbidden' : status === 404 ? 'error.notFound' : 'error.title';
    let viewer;
    try { viewer = viewerOf(req); } catch { viewer = undefined; }
    const body = html`<p role="alert">${t(lang, key)}</p>${status < 500 && status !== 403 && status !== 404 ? html`<p>${err.message}</p>` : ''}
      <p><a href="${BASE}/queue">${t(lang, 'common.back')}</a></p>`;
    return sendHtml(reply, page(viewer, t(lang, 'error.title'), body), status);
  };
}

/** Registers the console (call with app.register; it keeps its hooks and parsers to itself). */
export async function consolePlugin(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  securityHeaders(app, Boolean(deps.secure));
  app.setErrorHandler(onError(deps));
  app.addHook('onRequest', authenticate(deps));
  // Every POST of a session (not the login form, which has its own token) carries the session's CSRF token.
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST' || req.url.split('?')[0] === `${BASE}/login`) return;
    const viewer = viewerOf(req);
    if (viewer.via === 'session') checkCsrf(req, viewer.csrf);
  });
  app.get(BASE, async (_req, reply) => reply.code(303).header('location', `${BASE}/queue`).send());
  registerStatic(app);
  registerLogin(app, deps);
  registerQueue(app, deps);
  registerTicketPage(app, deps);
  registerUserPages(app, deps);
  registerOperationPages(app, deps);
  registerReportPages(app, deps);
  registerCustomerPages(app, deps);
  registerCasePages(app, deps);
  registerNoisePage(app, deps);
}
