// The portal's documents: the customer's monthly reports (the PDFs the report run mailed, downloadable by the customer's
// contacts only) and the advisories mailed to the signed-in contact, read from the notification outbox's records.
import type { FastifyInstance } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import type { Db } from '../../store/db.js';
import { html } from '../html.js';
import { portalPage, PORTAL } from './pages.js';
import { pt } from './messages.js';
import type { PortalContext } from './plugin.js';

interface Row { id: string; subject: string; body_text: string; attachments: string | null; created_at: number }

/** Registers /portal/reports, /portal/reports/:id (the PDF) and /portal/advisories. */
export function registerDocuments(app: FastifyInstance, db: Db, ctx: PortalContext): void {
  const { send } = ctx;
  const session = (req: Parameters<PortalContext['viewer']>[0], reply: Parameters<PortalContext['send']>[0]) => ctx.guard(req, reply, false);
  app.get(`${PORTAL}/reports`, async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    const rows = db.prepare(`SELECT id, subject, body_text, attachments, created_at FROM notify_outbox WHERE ref_kind = 'report' AND customer_id = ?
      AND attachments IS NOT NULL ORDER BY created_at DESC LIMIT 200`).all(s.customerId) as Row[];
    const seen = new Set<string>();
    const list = rows.filter((r) => !seen.has(r.subject) && seen.add(r.subject));
    return send(reply, portalPage(ctx.chrome(s), pt(s.language, 'reports.title'), list.length
      ? html`<ul id="reports">${list.map((r) => html`<li><a href="${PORTAL}/reports/${r.id}">${r.subject}</a></li>`)}</ul>`
      : html`<p>${pt(s.language, 'reports.none')}</p>`));
  });
  app.get<{ Params: { id: string } }>(`${PORTAL}/reports/:id`, async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    // The customer is part of the query: another customer's report answers as a missing one.
    const row = db.prepare(`SELECT attachments FROM notify_outbox WHERE id = ? AND ref_kind = 'report' AND customer_id = ?`)
      .get(req.params.id, s.customerId) as { attachments: string | null } | undefined;
    const file = row?.attachments ? (JSON.parse(row.attachments) as { filename: string; path: string; contentType: string }[])[0] : undefined;
    if (!file || !existsSync(file.path)) return ctx.notFound(reply, s, 'report');
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`)
      .send(createReadStream(file.path));
  });
  app.get(`${PORTAL}/advisories`, async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    const rows = db.prepare(`SELECT id, subject, body_text, attachments, created_at FROM notify_outbox WHERE ref_kind IN ('advisory', 'digest')
      AND customer_id = ? AND EXISTS (SELECT 1 FROM json_each(notify_outbox.recipients) WHERE lower(value) = ?) ORDER BY created_at DESC LIMIT 100`)
      .all(s.customerId, s.email) as Row[];
    return send(reply, portalPage(ctx.chrome(s), pt(s.language, 'advisories.title'), rows.length
      ? html`<ol id="advisories">${rows.map((r) => html`<li><h2>${r.subject}</h2><p>${new Date(r.created_at).toISOString().slice(0, 10)}</p><pre>${r.body_text}</pre></li>`)}</ol>`
      : html`<p>${pt(s.language, 'advisories.none')}</p>`));
  });
}
