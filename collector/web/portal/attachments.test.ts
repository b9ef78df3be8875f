// Attachments in the portal's forms over real HTTP (multipart/form-data from fetch's FormData): stored like mail
// attachments (name, type, size, SHA-256, by hash under the attachments directory, mode 0600), downloadable by the
// customer's contacts only; refused by the mail intake's own policy (size, executables, archives holding one), in
// which case nothing is recorded and the contact reads which file and why.
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { caseKit, type CaseKit } from '../../cases/testkit.js';
import { portalPlugin } from './plugin.js';
import { PortalSessions } from './sessions.js';

const LIMIT = 4096;
let kit: CaseKit | undefined;
let app: FastifyInstance | undefined;
let base = '';
afterEach(async () => { await app?.close(); await kit?.close(); app = undefined; kit = undefined; });

async function start(): Promise<CaseKit> {
  const k = await caseKit({ intake: { maxAttachmentBytes: LIMIT } });
  kit = k;
  app = Fastify({ logger: { level: 'error' } });
  await app.register(portalPlugin, { cases: k.cases, sessions: new PortalSessions(k.db, k.clock, { linkMinutes: 15, sessionHours: 8 }),
    baseUrl: () => base, reopenDays: 7, secure: false, attachments: k.intake.policy });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return k;
}

interface Contact { get(p: string): Promise<Response>; send(p: string, form: FormData): Promise<Response>; csrf(): Promise<string> }

async function signIn(k: CaseKit, email: string): Promise<Contact> {
  await fetch(`${base}/portal/login`, { method: 'POST', body: new URLSearchParams({ email }), redirect: 'manual' });
  const mail = k.outbox.list({ limit: 1000 }).filter((e) => e.to.includes(email) && e.message.text.includes('/portal/link/')).at(-1)!;
  const r = await fetch(/(http:\/\/\S+\/portal\/link\/\S+)/.exec(mail.message.text)![1]!, { redirect: 'manual' });
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('xpears_portal='))!.split(';')[0]!;
  const get = (p: string) => fetch(`${base}${p}`, { headers: { cookie }, redirect: 'manual' });
  return {
    get,
    send: (p, form) => fetch(`${base}${p}`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' }),
    csrf: async () => /name="_csrf" value="([^"]+)"/.exec(await (await get('/portal/cases/new')).text())![1]!,
  };
}

function caseForm(csrf: string, files: [string, string | Buffer, string][]): FormData {
  const f = new FormData();
  f.set('_csrf', csrf);
  for (const [k, v] of Object.entries({ vendor: 'eset', title: 'Consola lenta', description: 'Adjunto el registro.', priority: '2' })) f.set(k, v);
  for (const [name, content, type] of files) f.append('files', new Blob([content], { type }), name);
  return f;
}

// A ZIP whose central directory names one entry (enough for the policy, which reads names without decompressing).
function zipNaming(entry: string): Buffer {
  const name = Buffer.from(entry);
  const central = Buffer.alloc(46);
  central.write('PK\x01\x02', 0, 'latin1');
  central.writeUInt16LE(name.length, 28);
  return Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), central, name]);
}

describe('attachments in the portal', () => {
  it('stores a new case\'s files with name, type, size and SHA-256, for her customer\'s contacts only', async () => {
    const k = await start();
    const ana = await signIn(k, 'ana@acme.example');
    const r = await ana.send('/portal/cases', caseForm(await ana.csrf(), [['registro.txt', 'línea 1\nlínea 2\n', 'text/plain'], ['captura.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'image/png']]));
    expect(r.status).toBe(303);
    const [t] = k.cases.tickets.list();
    expect(t).toMatchObject({ origin: 'portal', caseKind: 'severity-2', title: 'Consola lenta' });
    const files = k.cases.store.attachments(t!.id);
    expect(files.map((f) => [f.name, f.contentType, f.size])).toEqual([['captura.png', 'image/png', 7], ['registro.txt', 'text/plain', Buffer.byteLength('línea 1\nlínea 2\n')]]);
    const txt = files.find((f) => f.name === 'registro.txt')!;
    expect(txt.sha256).toBe(createHash('sha256').update('línea 1\nlínea 2\n').digest('hex'));
    expect(readFileSync(txt.path, 'utf8')).toBe('línea 1\nlínea 2\n');
    expect(statSync(txt.path).mode & 0o777).toBe(0o600);
    expect(await (await ana.get(`/portal/cases/${t!.number}`)).text()).toContain(`SHA-256 ${txt.sha256}`);
    const download = await ana.get(`/portal/attachments/${txt.id}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('línea 1\nlínea 2\n');
    // A colleague of the same customer may download it; a contact of another customer gets a 404, whatever id she tries.
    expect((await (await signIn(k, 'john@acme.example')).get(`/portal/attachments/${txt.id}`)).status).toBe(200);
    const beta = await signIn(k, 'ana@beta.example');
    for (const f of files) expect((await beta.get(`/portal/attachments/${f.id}`)).status).toBe(404);
  });

  it('refuses an executable, an archive holding one and a file over the limit: nothing recorded, each named with its reason', async () => {
    const k = await start();
    const ana = await signIn(k, 'ana@acme.example');
    const r = await ana.send('/portal/cases', caseForm(await ana.csrf(), [['bueno.txt', 'ok', 'text/plain'], ['setup.exe', 'MZ\x90\x00', 'application/octet-stream'],
      ['logs.zip', zipNaming('tool/run.bat'), 'application/zip'], ['volcado.txt', Buffer.alloc(LIMIT + 1, 0x61), 'text/plain']]));
    expect(r.status).toBe(422);
    const page = await r.text();
    expect(page).toMatch(/role="alert" id="refused"/);
    expect(page).toContain('setup.exe: es un ejecutable');
    expect(page).toContain('logs.zip: es un archivo comprimido que contiene un ejecutable');
    expect(page).toContain('volcado.txt: supera el tamaño permitido');
    expect(page).not.toContain('bueno.txt:');
    // Her words stay in the form to send again.
    expect(page).toContain('value="Consola lenta"');
    expect(page).toContain('Adjunto el registro.</textarea>');
    expect(k.cases.tickets.list()).toHaveLength(0);
    expect(k.db.prepare('SELECT COUNT(*) FROM case_attachments').pluck().get()).toBe(0);
  });

  it('takes files with an answer on her case, and refuses an answer without the session\'s token', async () => {
    const k = await start();
    await k.send({ from: 'ana@acme.example', subject: 'Equipo sin firmas', text: 'No actualiza.' });
    const [t] = k.cases.tickets.list();
    const ana = await signIn(k, 'ana@acme.example');
    const reply = (csrf: string, file: [string, string, string]) => {
      const f = new FormData();
      f.set('_csrf', csrf);
      f.set('body', 'Adjunto lo que pidieron.');
      f.append('files', new Blob([file[1]], { type: file[2] }), file[0]);
      return ana.send(`/portal/cases/${t!.number}/reply`, f);
    };
    expect((await reply('no-es-el-token', ['x.txt', 'x', 'text/plain'])).status).toBe(403);
    const refused = await reply(await ana.csrf(), ['script.ps1', 'Write-Host', 'text/plain']);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('script.ps1: es un ejecutable');
    expect(k.cases.store.comments(t!.id)).toHaveLength(0);
    expect((await reply(await ana.csrf(), ['equipo.log', 'error 42', 'text/plain'])).status).toBe(303);
    const [comment] = k.cases.store.comments(t!.id);
    expect(comment).toMatchObject({ authorKind: 'contact', via: 'portal', body: 'Adjunto lo que pidieron.' });
    expect(k.cases.store.attachments(t!.id)).toMatchObject([{ name: 'equipo.log', commentId: comment!.id, size: 8 }]);
    const beta = await signIn(k, 'ana@beta.example');
    const f = new FormData();
    f.set('_csrf', await beta.csrf());
    f.set('body', 'intruso');
    expect((await beta.send(`/portal/cases/${t!.number}/reply`, f)).status).toBe(404);
    expect(k.cases.store.comments(t!.id)).toHaveLength(1);
  });
});
