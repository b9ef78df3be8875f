// Issue 13 item 2 in the CAS console: a computer and threat name with line breaks, a right-to-left override, a
// zero-width space and 100 KB is shown quoted, on one capped line, with no bidi or zero-width character; the raw
// capture shows those characters as visible escapes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { eventually } from '../e2e/harness.js';
import { Client, postSyslog, ransomwareLine, startBench, type ConsoleBench } from './harness.js';

const HOSTILE = `PC-07\r\nURGENTE: llame al +54 11 5555-0000\u202Eexe.pdf\u200B${'Z'.repeat(100 * 1024)}`;
let bench: ConsoleBench;
let number: string;
beforeAll(async () => {
  bench = await startBench();
  await postSyslog(bench, ransomwareLine(HOSTILE, HOSTILE));
  expect(await eventually(() => bench.collector.tickets.list({}).length === 1)).toBe(true);
  number = bench.collector.tickets.list({})[0]!.number;
}, 60_000);
afterAll(async () => { await bench.close(); });

describe('a console\'s words in the CAS console', () => {
  it('quotes a hostile computer name on one capped line and shows the raw capture\'s controls as escapes', async () => {
    const c = new Client(bench.collector.url);
    await c.login('lucia');
    const page = await c.req('GET', `/console/tickets/${number}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<span class="computer">«PC-07 URGENTE: llame al +54 11 5555-0000exe.pdfZZZ');
    expect(page.text).toMatch(/<span class="computer">«[^«»<]{1,200}…»<\/span>/);
    expect(page.text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/);
    expect(page.text).toContain('\\u202e');
  });
});
