// User administration (leads only): the engineers, add one, disable or enable, change role; and the audit log.
import type { FastifyInstance } from 'fastify';
import { ROLES, parseRole } from '../../accounts/index.js';
import type { Language } from '../../notify/types.js';
import { XpearsError } from '../../../lib/errors.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { BASE, actionForm, csrfField, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps, type Viewer } from '../context.js';

function usersBody(deps: ConsoleDeps, viewer: Viewer, lang: Language) {
  const roleSelect = (current?: string) => html`<select name="role" aria-label="${t(lang, 'users.role')}">${ROLES.map((r) =>
    html`<option value="${r}"${r === current ? html` selected` : ''}>${r}</option>`)}</select>`;
  return html`<table><thead><tr><th scope="col">${t(lang, 'users.login')}</th><th scope="col">${t(lang, 'users.name')}</th>
    <th scope="col">${t(lang, 'users.email')}</th><th scope="col">${t(lang, 'users.role')}</th><th scope="col">${t(lang, 'col.state')}</th><th></th></tr></thead><tbody>
    ${deps.accounts.list().map((u) => html`<tr><td>${u.login}</td><td>${u.name}</td><td>${u.email}</td><td>${u.role}</td>
      <td>${u.disabledAt ? t(lang, 'users.disabled') : t(lang, 'users.active')}</td><td>
      ${actionForm(viewer, `${BASE}/users/${u.login}/role`, t(lang, 'users.setRole'), roleSelect(u.role))}
      ${u.disabledAt ? actionForm(viewer, `${BASE}/users/${u.login}/enable`, t(lang, 'users.enable'))
        : actionForm(viewer, `${BASE}/users/${u.login}/disable`, t(lang, 'users.disable'))}</td></tr>`)}</tbody></table>
    <h2>${t(lang, 'users.add')}</h2><form method="post" action="${BASE}/users" class="block">${csrfField(viewer)}
      <label>${t(lang, 'users.login')} <input name="login" required pattern="[a-z][a-z0-9._-]{1,31}"></label>
      <label>${t(lang, 'users.name')} <input name="name" required></label><label>${t(lang, 'users.email')} <input name="email" type="email" required></label>
      <label>${t(lang, 'users.role')} ${roleSelect('l1')}</label>
      <label>${t(lang, 'users.language')} <select name="language"><option value="es">es</option><option value="en">en</option></select></label>
      <label>${t(lang, 'users.password')} <input name="password" type="password" minlength="10" required autocomplete="new-password"></label>
      <button type="submit">${t(lang, 'users.add')}</button></form>
    <h2>${t(lang, 'users.audit')}</h2><table><thead><tr><th scope="col">${t(lang, 'audit.at')}</th><th scope="col">${t(lang, 'audit.actor')}</th>
      <th scope="col">${t(lang, 'audit.action')}</th><th scope="col">${t(lang, 'audit.target')}</th><th scope="col">${t(lang, 'audit.detail')}</th></tr></thead><tbody>
      ${deps.accounts.auditList(100).map((e) => html`<tr><td>${e.at}</td><td>${e.actor}</td><td>${e.action}</td><td>${e.target ?? ''}</td><td>${e.detail ?? ''}</td></tr>`)}
    </tbody></table>`;
}

/** GET /console/users, POST /console/users, POST /console/users/:login/{disable,enable,role}. */
export function registerUserPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(`${BASE}/users`, async (req, reply) => {
    const viewer = requirePermission(req, 'user.admin');
    const lang = langOf(req);
    return sendHtml(reply, page(viewer, t(lang, 'users.title'), usersBody(deps, viewer, lang), { current: '/users' }));
  });
  app.post(`${BASE}/users`, async (req, reply) => {
    const viewer = requirePermission(req, 'user.admin');
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    await deps.accounts.addUser({ login: b.login ?? '', name: b.name ?? '', email: b.email ?? '', role: parseRole(b.role ?? ''),
      language: b.language === 'en' ? 'en' : 'es', password: b.password ?? '' }, viewer.user.login);
    return seeOther(reply, `${BASE}/users`);
  });
  app.post<{ Params: { login: string; op: string } }>(`${BASE}/users/:login/:op`, async (req, reply) => {
    const viewer = requirePermission(req, 'user.admin');
    const { login, op } = req.params;
    const by = viewer.user.login;
    if (op === 'disable') deps.accounts.disable(login, by);
    else if (op === 'enable') deps.accounts.enable(login, by);
    else if (op === 'role') deps.accounts.setRole(login, parseRole(String((req.body as Record<string, unknown>)?.role ?? '')), by);
    else throw new XpearsError('NOT_FOUND');
    return seeOther(reply, `${BASE}/users`);
  });
}
