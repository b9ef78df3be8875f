// Issue 13 item 2 at the template level: a console's words reach a ticket quoted, on one bounded line, whatever they hold.
import { describe, expect, it } from 'vitest';
import { ticketSummary } from './templates.js';
import { summaryData } from './describe.js';
import { storedEvent } from './testkit.js';

const INJECTED = 'PC-01\r\nURGENTE: descargue http://evil.example/fix.exe, llame al +54 11 5555-0000\r\n<a href="http://evil.example">x</a>\u202Eexe.pdf\u200B';
const HUGE = 'A'.repeat(100_000);
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\r\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

function render(language: 'es' | 'en') {
  const event = storedEvent({
    computer: { name: INJECTED, ip: '10.0.0.9\nX-Injected: 1', user: `u${HUGE}` },
    threat: { name: `${INJECTED}${HUGE}`, type: 'troyano\u202E', object: `C:\\${HUGE}` },
    actionText: 'Bloqueado\r\n\r\nLlame ya', summary: `${INJECTED} ${HUGE}`,
  });
  return ticketSummary.render(language, summaryData({ event, caseKind: 'threat-incident', customerName: 'Acme SA',
    count: 1, computers: 1, language, zone: 'America/Argentina/Buenos_Aires' }));
}

describe('a console\'s words in a ticket', () => {
  it('the title is one bounded line, and each name in it is quoted', () => {
    const { subject } = render('es');
    expect(subject).not.toMatch(CONTROLS);
    expect(subject).not.toContain('\n');
    expect(subject.length).toBeLessThan(260);
    expect(subject).toContain('«PC-01 URGENTE: descargue http://evil.example/fix.exe, llame al +54 11 5555-0000…» en «PC-01');
    expect(subject).toMatch(/^Incidente de amenaza: Ransomware «[^«»]+» en «[^«»]+» — Acme SA$/);
  });

  it('the description keeps its own lines, and every console line in it is quoted, capped, without controls', () => {
    for (const language of ['es', 'en'] as const) {
      const { text } = render(language);
      expect(text).not.toMatch(CONTROLS);
      expect(text.length).toBeLessThan(3_000);
      const open = language === 'es' ? '«' : '“';
      // No line of the description starts with the console's words: they only ever appear inside a quotation.
      for (const line of text.split('\n')) expect(line.startsWith('URGENTE') || line.startsWith('<a')).toBe(false);
      expect(text).toContain(language === 'es' ? `Detalle técnico, la consola informó: ${open}PC-01 URGENTE`
        : `Technical detail, the console reported: ${open}PC-01 URGENTE`);
      expect(text).toContain('IP: 10.0.0.9 X-Injected: 1');
    }
  });
});
