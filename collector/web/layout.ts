// The frame of every console page: header, navigation (what the role may see), flash line, main content.
import type { Language } from '../notify/types.js';
import { can } from '../accounts/index.js';
import { html, type SafeHtml } from './html.js';
import { t, type MessageKey } from './i18n.js';
import type { Viewer } from './context.js';

/** The console's path prefix. */
export const BASE = '/console';

/** A hidden CSRF field for a form of this viewer's session. */
export function csrfField(viewer: Viewer | undefined): SafeHtml {
  return viewer?.csrf ? html`<input type="hidden" name="_csrf" value="${viewer.csrf}">` : html``;
}

/** A form POSTing one action (a button), with the CSRF field and optional extra fields. */
export function actionForm(viewer: Viewer, action: string, label: string, extra: SafeHtml = html``, cls = 'inline'): SafeHtml {
  return html`<form method="post" action="${action}" class="${cls}">${csrfField(viewer)}${extra}<button type="submit">${label}</button></form>`;
}

const NAV: { key: MessageKey; path: string; admin?: boolean }[] = [
  { key: 'nav.queue', path: '/queue' }, { key: 'nav.mail', path: '/mail' }, { key: 'nav.agents', path: '/agents' }, { key: 'nav.advisories', path: '/advisories' },
  { key: 'nav.notifications', path: '/notifications' }, { key: 'nav.customers', path: '/customers' }, { key: 'nav.reports', path: '/reports' }, { key: 'nav.noise', path: '/maintenance' }, { key: 'nav.status', path: '/status' },
  { key: 'nav.users', path: '/users', admin: true },
];

/** A whole page for a logged-in viewer. `flash` is a message already translated. */
export function page(viewer: Viewer | undefined, title: string, body: SafeHtml, opts: { flash?: { kind: 'ok' | 'error'; text: string }; current?: string } = {}): SafeHtml {
  const lang: Language = viewer?.user.language ?? 'es';
  const nav = viewer ? html`<nav aria-label="main"><ul>${NAV.filter((n) => !n.admin || can(viewer.user.role, 'user.admin')).map((n) =>
    html`<li><a href="${BASE}${n.path}"${opts.current === n.path ? html` aria-current="page"` : ''}>${t(lang, n.key)}</a></li>`)}</ul>
    <div class="who"><span>${viewer.user.name} (${viewer.user.role})</span>
    ${actionForm(viewer, `${BASE}/language`, t(lang, 'nav.language'), html`<input type="hidden" name="language" value="${lang === 'es' ? 'en' : 'es'}">`)}
    ${actionForm(viewer, `${BASE}/logout`, t(lang, 'nav.logout'))}</div></nav>` : '';
  const flash = opts.flash ? html`<p class="flash ${opts.flash.kind}" role="${opts.flash.kind === 'error' ? 'alert' : 'status'}">${opts.flash.text}</p>` : '';
  return html`<!doctype html>
<html lang="${lang === 'es' ? 'es-AR' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t(lang, 'app.title')}</title><link rel="stylesheet" href="${BASE}/static/console.css">
<script src="${BASE}/static/console.js" defer></script></head>
<body><a class="skip" href="#main">${t(lang, 'nav.skip')}</a><header><strong>${t(lang, 'app.title')}</strong>${nav}</header>
<main id="main"><h1>${title}</h1>${flash}${body}</main></body></html>`;
}
