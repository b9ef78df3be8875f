// The reports page: the archive per customer and month (every version, to download), generating a month's report
// for one customer (a new archived version), and mailing a month again to the customer's contacts (resend).
import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';
import { can } from '../../accounts/index.js';
import { XpearsError } from '../../../lib/errors.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { BASE, csrfField, page } from '../layout.js';
import { langOf, requirePermission, sendHtml, seeOther, type ConsoleDeps } from '../context.js';

/** GET /console/reports, GET /console/reports/:customer/:file (the PDF), POST /console/reports (generate),
 *  POST /console/reports/resend (mail a month again). */
export function registerReportPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(`${BASE}/reports`, async (req, reply) => {
    const viewer = requirePermission(req, 'view');
    const lang = langOf(req);
    const reports = deps.reports ? deps.reports.list().sort((a, b) => b.month.localeCompare(a.month) || a.customerId.localeCompare(b.customerId)) : [];
    const name = (id: string) => deps.registry.getCustomer(id)?.name ?? id;
    const last = deps.reports?.lastMonth() ?? '';
    const mayGenerate = can(viewer.user.role, 'report.generate') && deps.reports !== undefined;
    // Resend once per customer-month, on its newest version's row.
    const newest = new Set(reports.filter((r) => !reports.some((o) => o.customerId === r.customerId && o.month === r.month && o.version > r.version)).map((r) => r.path));
    const resend = (r: { customerId: string; month: string; path: string }) => mayGenerate && newest.has(r.path)
      ? html`<form method="post" action="${BASE}/reports/resend" class="inline">${csrfField(viewer)}<input type="hidden" name="customer" value="${r.customerId}"><input type="hidden" name="month" value="${r.month}"><button type="submit">${t(lang, 'reports.resend')}</button></form>`
      : '';
    const form = mayGenerate ? html`<h2>${t(lang, 'reports.generate')}</h2>
      <form method="post" action="${BASE}/reports" class="block">${csrfField(viewer)}
      <label>${t(lang, 'col.customer')} <select name="customer">${deps.registry.listCustomers().map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select></label>
      <label>${t(lang, 'reports.month')} <input name="month" value="${last}" pattern="\\d{4}-\\d{2}" required></label>
      <button type="submit">${t(lang, 'reports.generate')}</button></form>` : '';
    const body = html`${reports.length === 0 ? html`<p>${t(lang, 'reports.empty')}</p>` : html`<table><thead><tr><th scope="col">${t(lang, 'col.customer')}</th>
      <th scope="col">${t(lang, 'reports.month')}</th><th scope="col">${t(lang, 'reports.version')}</th><th scope="col">${t(lang, 'reports.created')}</th><th></th></tr></thead><tbody>
      ${reports.map((r) => html`<tr><td>${name(r.customerId)}</td><td>${r.month}</td><td>${r.version}</td><td>${r.createdAt}</td>
        <td><a href="${BASE}/reports/${r.customerId}/${r.path.split('/').pop() ?? ''}">${t(lang, 'reports.download')}</a> ${resend(r)}</td></tr>`)}</tbody></table>`}${form}`;
    return sendHtml(reply, page(viewer, t(lang, 'reports.title'), body, { current: '/reports' }));
  });

  app.get<{ Params: { customer: string; file: string } }>(`${BASE}/reports/:customer/:file`, async (req, reply) => {
    requirePermission(req, 'view');
    // Only a file the archive lists: the path never comes from the request.
    const found = deps.reports ? deps.reports.list().find((r) => r.customerId === req.params.customer && r.path.split('/').pop() === req.params.file) : undefined;
    if (!found) throw new XpearsError('NOT_FOUND');
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${found.customerId}-${req.params.file}"`)
      .header('cache-control', 'private, no-store').send(createReadStream(found.path));
  });

  app.post(`${BASE}/reports`, async (req, reply) => {
    const viewer = requirePermission(req, 'report.generate');
    if (!deps.reports) throw new XpearsError('NOT_FOUND');
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    if (!b.customer || !deps.registry.getCustomer(b.customer)) throw new XpearsError('CUSTOMER_NOT_FOUND');
    const r = await deps.reports.generate(b.customer, b.month ?? '');
    deps.accounts.audit(viewer.user.login, 'report.generate', r.customerId, `${r.month} v${r.version}`);
    return seeOther(reply, `${BASE}/reports`);
  });

  app.post(`${BASE}/reports/resend`, async (req, reply) => {
    const viewer = requirePermission(req, 'report.generate');
    if (!deps.reports) throw new XpearsError('NOT_FOUND');
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    if (!b.customer || !deps.registry.getCustomer(b.customer)) throw new XpearsError('CUSTOMER_NOT_FOUND');
    const sent = await deps.reports.resend(b.customer, b.month ?? '');
    deps.accounts.audit(viewer.user.login, 'report.resend', b.customer, `${b.month ?? ''} v${sent.version}, ${sent.queued} mails`);
    return seeOther(reply, `${BASE}/reports`);
  });
}
