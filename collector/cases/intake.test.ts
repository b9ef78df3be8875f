// Mail into the CAS mailbox over a real SMTP session (nodemailer → the listener on loopback) onto a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { caseKit, type CaseKit } from './testkit.js';
import type { CaseTicket } from './store.js';

const kits: CaseKit[] = [];
async function kit(...args: Parameters<typeof caseKit>): Promise<CaseKit> {
  const k = await caseKit(...args);
  kits.push(k);
  return k;
}
afterEach(async () => { for (const k of kits.splice(0)) await k.close(); });

const mailsTo = (k: CaseKit, to: string) => k.outbox.list({ limit: 10_000 }).filter((e) => e.to.includes(to));

describe('the CAS mailbox (SMTP listener)', () => {
  it('opens a case from a designated contact, acknowledges it threaded, and takes her reply as one comment', async () => {
    const k = await kit();
    await k.send({ from: 'Ana Pérez <ana@acme.example>', subject: 'La consola no sincroniza', messageId: '<m1@acme.example>',
      text: 'Hola, la consola dejó de sincronizar.\nProducto: ESET PROTECT\nVersión: 11.1\nSistema operativo: Windows Server 2019\nPrioridad: 1\n\n--\nAna Pérez\nSistemas, Acme' });
    const [t] = k.cases.tickets.list() as CaseTicket[];
    expect(t).toMatchObject({ origin: 'email', requesterEmail: 'ana@acme.example', requestedPriority: 1, caseKind: 'severity-1',
      title: 'La consola no sincroniza', product: 'ESET PROTECT', productVersion: '11.1', os: 'Windows Server 2019', customerId: 'acme' });
    expect(t!.description).toContain('Sistemas, Acme');
    // Managed plan, Nivel 1: 60 business minutes from Friday 16:50, 10 that day, 50 on Wednesday (Monday and Tuesday
    // are closed days in Argentina that week): the same matrix and calendar as an alert's.
    expect(t!.responseDueAt).toBe(new Date('2026-03-25T09:50:00-03:00').toISOString());
    const [ack] = mailsTo(k, 'ana@acme.example');
    expect(ack!.message.subject).toBe(`[${t!.number}] La consola no sincroniza`);
    expect(ack!.message.text).toContain('Hola Ana Pérez');
    expect(ack!.payload).toEqual({ thread: { inReplyTo: '<m1@acme.example>', references: ['<m1@acme.example>'] } });
    expect(mailsTo(k, 'guardia@xpears.example')).toHaveLength(1);

    await k.send({ from: 'ana@acme.example', subject: `Re: [${t!.number}] La consola no sincroniza`, messageId: '<m2@acme.example>',
      inReplyTo: `<${ack!.id}@xpears.example>`, references: ['<m1@acme.example>', `<${ack!.id}@xpears.example>`],
      text: `Adjunto más datos: reinicié el servicio.\n\nEl vie, 20 mar 2026 a las 17:00, CAS <soporte@cas.xpears.local> escribió:\n> Registramos su caso` });
    expect(k.cases.tickets.list()).toHaveLength(1);
    const comments = k.cases.store.comments(t!.id);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ authorKind: 'contact', visibility: 'public', via: 'email', body: 'Adjunto más datos: reinicié el servicio.' });
    // The same message delivered again acts once.
    await k.send({ from: 'ana@acme.example', subject: `Re: [${t!.number}] x`, messageId: '<m2@acme.example>', text: 'otra vez' });
    expect(k.cases.store.comments(t!.id)).toHaveLength(1);
  });

  it('is not a relay: a recipient other than the CAS address is refused', async () => {
    const k = await kit();
    await expect(k.send({ from: 'ana@acme.example', to: 'someone@elsewhere.example', subject: 'x', text: 'x' })).rejects.toThrow(/550|relaying/);
    expect(k.cases.tickets.list()).toHaveLength(0);
  });

  it('puts an unknown sender in triage, and answers neither an out-of-office reply nor a bounce', async () => {
    const k = await kit();
    await k.send({ from: 'stranger@nowhere.example', subject: 'Ayuda', text: 'Hola' });
    await k.send({ from: 'ana@acme.example', subject: 'Fuera de la oficina', text: 'Vuelvo el lunes', headers: { 'Auto-Submitted': 'auto-replied' } });
    await k.send({ from: 'MAILER-DAEMON@acme.example', subject: 'Undelivered Mail Returned to Sender', text: 'delivery failed' });
    expect(k.cases.tickets.list()).toHaveLength(0);
    expect(k.outbox.list({ limit: 100 })).toHaveLength(0);
    const outcomes = k.cases.store.mailsByOutcome(['triage', 'auto']).map((m) => m.outcome).sort();
    expect(outcomes).toEqual(['auto', 'auto', 'triage']);
  });

  it('does not answer 200 mails in a minute from one address 200 times', async () => {
    const k = await kit();
    for (let i = 0; i < 200; i++) {
      await k.send({ from: 'ana@acme.example', subject: `Caso ${i}`, text: `mensaje ${i}` });
      k.clock.advance(300);
    }
    expect(k.cases.tickets.list({ limit: 1000 }).length).toBe(10);
    expect(mailsTo(k, 'ana@acme.example')).toHaveLength(10);
    expect(k.cases.store.mailsByOutcome(['throttled'], 1000)).toHaveLength(190);
  });

  it('stores accepted attachments with their SHA-256 and refuses executables and archives holding one, telling the sender', async () => {
    const k = await kit();
    const pdf = Buffer.from('%PDF-1.4 registro');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]);
    // A minimal ZIP central-directory entry naming setup.exe.
    const name = Buffer.from('setup.exe');
    const central = Buffer.alloc(46);
    central.write('PK\x01\x02', 0, 'latin1');
    central.writeUInt16LE(name.length, 28);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), central, name]);
    await k.send({ from: 'ana@acme.example', subject: 'Con adjuntos', text: 'Van los archivos', attachments: [
      { filename: 'registro.pdf', content: pdf, contentType: 'application/pdf' },
      { filename: 'herramienta.exe', content: exe }, { filename: 'logs.zip', content: zip }] });
    const [t] = k.cases.tickets.list();
    const files = k.cases.store.attachments(t!.id);
    expect(files.map((f) => [f.name, f.size, f.sha256])).toEqual([['registro.pdf', pdf.length, createHash('sha256').update(pdf).digest('hex')]]);
    const refusal = mailsTo(k, 'ana@acme.example').find((m) => m.message.subject.startsWith('Adjuntos no aceptados'));
    expect(refusal!.message.text).toContain('herramienta.exe: es un ejecutable');
    expect(refusal!.message.text).toContain('logs.zip: es un archivo comprimido que contiene un ejecutable');
  });

  it('never lets a contact of another customer write on a case by its number', async () => {
    const k = await kit();
    await k.send({ from: 'ana@acme.example', subject: 'Caso de Acme', text: 'texto' });
    const [t] = k.cases.tickets.list();
    await k.send({ from: 'ana@beta.example', subject: `Re: [${t!.number}] Caso de Acme`, text: 'intruso' });
    expect(k.cases.store.comments(t!.id)).toHaveLength(0);
    expect(k.cases.tickets.list({ customerId: 'beta' })).toHaveLength(1);
  });
});
