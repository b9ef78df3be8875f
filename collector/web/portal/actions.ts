// The contact's actions: a new case and an answer (both may carry attachments, as multipart forms), closing and
// reopening; each on her own customer's case only. Files go through the mail intake's attachment policy (size,
// executables, archives); when one is refused, nothing is recorded and the form comes back with her words and the
// reasons, so she knows what to change.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uuidv7 } from '../../../lib/ids.js';
import type { AcceptedFile, IncomingFile, RefusedFile } from '../../cases/attachments.js';
import type { CaseTicket } from '../../cases/store.js';
import { casePage, newCasePage, PORTAL } from './pages.js';
import { caseView, type PortalContext } from './plugin.js';
import type { PortalSession } from './sessions.js';

/** A posted form: its fields and its files (none for an urlencoded form). */
interface PostedForm { fields: Record<string, string>; files: IncomingFile[] }

// Reads an urlencoded or multipart form; files cut at the size limit are marked truncated (refused as too large).
async function readForm(req: FastifyRequest): Promise<PostedForm> {
  if (!req.isMultipart()) return { fields: { ...(req.body as Record<string, string> | undefined) }, files: [] };
  const fields: Record<string, string> = {};
  const files: IncomingFile[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'field') { fields[part.fieldname] = String(part.value); continue; }
    const content = await part.toBuffer();
    // A file input left empty still sends a part without a name or bytes.
    if (!part.filename && content.length === 0) continue;
    files.push({ filename: part.filename, contentType: part.mimetype, content, truncated: part.file.truncated });
  }
  return { fields, files };
}

type Screened = { accepted: AcceptedFile[]; refused: RefusedFile[] };

/** Registers POST /portal/cases and /portal/cases/:number/{reply,close,reopen}. */
export function registerActions(app: FastifyInstance, ctx: PortalContext): void {
  const { cases } = ctx.deps;
  const policy = ctx.deps.attachments;
  const screen = (files: IncomingFile[]): Screened => (policy && files.length ? policy.screen(files) : { accepted: [], refused: [] });
  const attach = (ticketId: string, commentId: number | null, accepted: AcceptedFile[]) => {
    const at = cases.tickets.clock().toISOString();
    for (const a of accepted) cases.store.addAttachment({ id: uuidv7(), ticketId, commentId, at, ...a });
  };
  const see = (reply: FastifyReply, t: CaseTicket) => reply.code(303).header('location', `${PORTAL}/cases/${t.number}`).send();

  app.post(`${PORTAL}/cases`, async (req, reply) => {
    if (!ctx.guard(req, reply, false)) return reply;
    const { fields: b, files } = await readForm(req);
    const s = ctx.guard(req, reply, true, b);
    if (!s) return reply;
    const { accepted, refused } = screen(files);
    if (refused.length) return ctx.send(reply, newCasePage(ctx.chrome(s), policy?.maxBytes, b, refused), 422);
    const contact = cases.contactOf(s.customerId, s.email);
    const priority = Number(b.priority);
    const t = cases.tickets.repo.inTransaction(() => {
      const opened = cases.open({ customerId: s.customerId, origin: 'portal', requester: { name: contact?.name ?? s.email, email: s.email, language: contact?.language ?? s.language },
        title: String(b.title ?? ''), description: String(b.description ?? ''), vendor: b.vendor ?? null, product: b.product ?? null,
        productVersion: b.productVersion ?? null, os: b.os ?? null, osVersion: b.osVersion ?? null,
        priority: ([1, 2, 3, 4].includes(priority) ? priority : 3) as 1 | 2 | 3 | 4 }, cases.tickets.clock());
      attach(opened.id, null, accepted);
      return opened;
    });
    return see(reply, t);
  });
  app.post<{ Params: { number: string } }>(`${PORTAL}/cases/:number/reply`, async (req, reply) => {
    if (!ctx.guard(req, reply, false)) return reply;
    const { fields: b, files } = await readForm(req);
    const s = ctx.guard(req, reply, true, b);
    if (!s) return reply;
    const t = ctx.own(s, req.params.number);
    if (!t) return ctx.notFound(reply, s);
    const { accepted, refused } = screen(files);
    if (refused.length) return ctx.send(reply, casePage(ctx.chrome(s), t, { ...caseView(ctx.deps, t), refused }), 422);
    cases.tickets.repo.inTransaction(() => {
      const c = cases.comment(t.id, { author: s.email, authorKind: 'contact', visibility: 'public', via: 'portal', body: String(b.body ?? '') }, cases.tickets.clock());
      attach(t.id, c.id, accepted);
    });
    return see(reply, t);
  });
  const action = (name: string, run: (s: PortalSession, t: CaseTicket) => void): void => {
    app.post<{ Params: { number: string } }>(`${PORTAL}/cases/:number/${name}`, async (req, reply) => {
      const s = ctx.guard(req, reply, true);
      if (!s) return reply;
      const t = ctx.own(s, req.params.number);
      if (!t) return ctx.notFound(reply, s);
      run(s, t);
      return see(reply, t);
    });
  };
  action('close', (s, t) => { cases.tickets.close(t.id, s.email, 'cerrado por el contacto en el portal', cases.tickets.clock()); });
  action('reopen', (s, t) => { cases.reopen(t.id, s.email, ctx.deps.reopenDays, cases.tickets.clock()); });
}
