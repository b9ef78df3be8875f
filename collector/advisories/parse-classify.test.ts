// Parsers and classification on the fixture files (synthetic, written from the documented formats: see
// test/fixtures/feeds/README.md): each source kind read and classified as expected.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, kindOf, passesProductFilter, riskOf, riskOfWord, vendorOf } from './classify.js';
import { decodeBody } from './fetch.js';
import { FeedFormatError, parseFeed, parseKev } from './parse.js';
import type { FeedItem } from './types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/feeds/${name}`, import.meta.url));
const text = (name: string): string => decodeBody(fixture(name)).text;
const byTitle = (items: FeedItem[], part: string): FeedItem => {
  const item = items.find((i) => i.title.includes(part));
  if (!item) throw new Error(`no item titled like "${part}"`);
  return item;
};
const item = (over: Partial<FeedItem>): FeedItem => ({ title: 'x', summary: '', categories: [], products: [], cves: [], ...over });

describe('Broadcom advisory list', () => {
  it('reads data.list[] with severity, CVEs, products and a detail link', async () => {
    const items = await parseFeed('broadcom-json', text('broadcom-advisories.json'));
    expect(items).toHaveLength(3);
    const sepm = byTitle(items, 'Remote Code Execution');
    expect(sepm).toMatchObject({
      guid: 'broadcom:90001', severity: 'CRITICAL', cves: ['CVE-2026-41001', 'CVE-2026-41002'],
      products: ['Symantec Endpoint Protection Manager'], published: '2026-11-18T00:00:00.000Z',
      action: 'Upgrade Symantec Endpoint Protection Manager to 14.3 RU10 or later.',
    });
    // An empty notificationUrl falls back to the documented detail URL pattern.
    expect(byTitle(items, 'Denial of Service').link).toMatch(/SecurityAdvisories\/0\/90002$/);
  });

  it('classifies a critical Symantec advisory from its severity field; the VMware one fails the product filter', async () => {
    const items = await parseFeed('broadcom-json', text('broadcom-advisories.json'));
    expect(classify(byTitle(items, 'Remote Code Execution'), { vendor: 'symantec', kind: 'broadcom-json' })).toEqual({
      vendor: 'symantec', products: ['Symantec Endpoint Protection Manager'], kind: 'vulnerability', risk: 'critical',
      riskSource: 'severity-field', action: 'Upgrade Symantec Endpoint Protection Manager to 14.3 RU10 or later.',
    });
    expect(riskOf(byTitle(items, 'Denial of Service'))).toEqual({ risk: 'medium', riskSource: 'severity-field' });
    expect(passesProductFilter(byTitle(items, 'vCenter'), ['Symantec'])).toBe(false);
    expect(passesProductFilter(byTitle(items, 'Remote Code Execution'), ['Symantec'])).toBe(true);
  });
});

describe('CISA KEV', () => {
  it('keeps ESET entries and Broadcom entries of Symantec products only', () => {
    const items = parseKev(text('cisa-kev.json'));
    expect(items.map((i) => i.cves[0])).toEqual(['CVE-2024-11859', 'CVE-2026-42002']);
  });

  it('classifies the ESET entry as a high vulnerability because it is in KEV', () => {
    const eset = parseKev(text('cisa-kev.json'))[0]!;
    expect(eset).toMatchObject({ vendor: 'eset', products: ['ESET Endpoint Security for Windows'], published: '2026-11-19T00:00:00.000Z' });
    expect(classify(eset, { vendor: 'any', kind: 'cisa-kev' })).toMatchObject({
      vendor: 'eset', kind: 'vulnerability', risk: 'high', riskSource: 'kev',
    });
  });

  it('raises a KEV entry with known ransomware use to critical', () => {
    const smg = parseKev(text('cisa-kev.json'))[1]!;
    expect(classify(smg, { vendor: 'any' })).toMatchObject({ vendor: 'symantec', risk: 'critical', riskSource: 'kev' });
  });

  it('keeps a stated level above the KEV floor', () => {
    expect(riskOf(item({ severity: 'Critical', kev: { ransomware: false } }))).toEqual({ risk: 'critical', riskSource: 'severity-field' });
    expect(riskOf(item({ severity: 'Low', kev: { ransomware: false } }))).toEqual({ risk: 'high', riskSource: 'kev' });
  });

  it('reports a JSON body that is not the catalogue', async () => {
    await expect(parseFeed('cisa-kev', '{"title":"x"}')).rejects.toBeInstanceOf(FeedFormatError);
    await expect(parseFeed('cisa-kev', '<html>')).rejects.toThrow(/not JSON/);
  });
});

describe('RSS and Atom', () => {
  it('classifies a blog post with no level as info', async () => {
    const items = await parseFeed('rss', text('welivesecurity.rss.xml'));
    expect(items).toHaveLength(4);
    const research = byTitle(items, 'spyware');
    expect(research.summary).toBe('ESET researchers analyzed an Android spyware family distributed through fake banking apps.');
    expect(research.categories).toEqual(['ESET Research', 'Mobile Security']);
    expect(classify(research, { vendor: 'eset' })).toEqual({ vendor: 'eset', products: [], kind: 'threat', risk: 'info', riskSource: 'default' });
    expect(classify(byTitle(items, 'Week in security'), { vendor: 'eset' })).toMatchObject({ kind: 'other', risk: 'info', riskSource: 'default' });
  });

  it('classifies a CVSS 9.8 item of a generic source as critical, for the vendor its text names', async () => {
    const items = await parseFeed('rss', text('cisa-advisories.rss.xml'));
    const smg = byTitle(items, 'Symantec Messaging Gateway');
    expect(classify(smg, { vendor: 'any' })).toMatchObject({ vendor: 'symantec', kind: 'vulnerability', risk: 'critical', riskSource: 'cvss-score' });
    // The other item names neither vendor: a generic source's item about someone else is not ours.
    expect(classify(byTitle(items, 'Acme'), { vendor: 'any' })).toBeUndefined();
  });

  it('reads Atom categories (term, label, severity scheme) and computes a level from a CVSS vector alone', async () => {
    const items = await parseFeed('atom', text('eset-support.atom.xml'));
    const ca = byTitle(items, 'CA9001');
    expect(ca).toMatchObject({ guid: 'urn:eset:ca9001', categories: ['Customer Advisory'], cves: ['CVE-2026-40001'], published: '2026-11-19T10:00:00.000Z' });
    expect(classify(ca, { vendor: 'eset' })).toEqual({
      vendor: 'eset', products: ['ESET Endpoint Security for Windows'], kind: 'vulnerability', risk: 'high', riskSource: 'cvss-vector',
    });
    expect(classify(byTitle(items, 'end of life'), { vendor: 'eset' })).toMatchObject({ kind: 'end-of-life', risk: 'info', products: ['ESET PROTECT 10.0'] });
    const hotfix = byTitle(items, 'hotfix');
    expect(hotfix.severity).toBe('Medium');
    expect(classify(hotfix, { vendor: 'eset' })).toMatchObject({ kind: 'vulnerability', risk: 'medium', riskSource: 'severity-field' });
    expect(classify(byTitle(items, 'Mail Security'), { vendor: 'eset' })).toMatchObject({ kind: 'product-update', risk: 'high', riskSource: 'categories' });
  });

  it('classifies title words and leaves a threat post without a level at info', async () => {
    const items = await parseFeed('rss', text('symantec-blogs.rss.xml'));
    expect(classify(byTitle(items, 'low-severity'), { vendor: 'symantec' })).toMatchObject({
      risk: 'low', riskSource: 'title-words', products: ['Symantec Endpoint Protection 14.3 RU10'],
    });
    expect(classify(byTitle(items, 'Ransomware actors'), { vendor: 'symantec' })).toMatchObject({ kind: 'threat', risk: 'info' });
  });

  it('reads an ISO-8859-1 feed whose charset is only in the XML prolog', async () => {
    const decoded = decodeBody(fixture('welivesecurity-latin1.rss.xml'), 'text/xml');
    expect(decoded.charset).toBe('windows-1252');
    const [first] = await parseFeed('rss', decoded.text);
    expect(first?.title).toBe('Campaña de phishing suplanta a bancos de Latinoamérica');
    expect(first?.summary).toContain('señuelos de «actualización de datos»');
    expect(first?.published).toBe('2026-11-19T15:00:00.000Z');
  });

  it('reports malformed XML as a FeedFormatError', async () => {
    await expect(parseFeed('rss', text('malformed.rss.xml'))).rejects.toBeInstanceOf(FeedFormatError);
    await expect(parseFeed('rss', '<html><body>not a feed</body></html>')).rejects.toThrow(/not a readable RSS or Atom feed/);
  });
});

describe('classification rules', () => {
  it.each([
    ['Severity: Critical', 'critical', 'severity-field'],
    ['Gravedad: alta. Actualice cuanto antes.', 'high', 'severity-field'],
    ['Rated CVSS 7.5 by the vendor', 'high', 'cvss-score'],
    ['CVSS score: 5.3', 'medium', 'cvss-score'],
    ['puntuación CVSS v3.1 de 3.1', 'low', 'cvss-score'],
    ['Vector CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H only', 'critical', 'cvss-vector'],
    ['no level stated here', 'info', 'default'],
  ])('summary "%s" → %s by %s', (summary, risk, riskSource) => {
    expect(riskOf(item({ summary }))).toEqual({ risk, riskSource });
  });

  it.each([
    ['Critical vulnerability in a management console', 'critical'],
    ['Vulnerabilidad crítica en la consola', 'critical'],
    ['Zero-day exploited against banks', 'high'],
    ['Falla explotada activamente en servidores', 'high'],
    ['Medium-severity issue in an agent', 'medium'],
    ['Attacks on critical infrastructure rise', undefined],
  ])('title "%s" → %s', (title, risk) => {
    const found = riskOf(item({ title }));
    expect(found.riskSource === 'title-words' ? found.risk : undefined).toBe(risk);
  });

  it('maps vendor words in English and Spanish, and rejects words it does not know', () => {
    expect(['Critical', 'crítica', 'HIGH', 'Importante', 'moderate', 'Baja', 'Informational', 'High severity', 'Severidad: media'].map(riskOfWord))
      .toEqual(['critical', 'critical', 'high', 'high', 'medium', 'low', 'info', 'high', 'medium']);
    expect(riskOfWord('Critical infrastructure')).toBeUndefined();
  });

  it('takes the vendor from the source, then from the item, then from the first name in its text', () => {
    expect(vendorOf(item({ title: 'Symantec news' }), 'eset')).toBe('eset');
    expect(vendorOf(item({ title: 'x', vendor: 'symantec' }), 'any')).toBe('symantec');
    expect(vendorOf(item({ title: 'ESET and Symantec both patch' }), 'any')).toBe('eset');
    expect(vendorOf(item({ title: 'Broadcom fixes' }), 'any')).toBe('symantec');
    expect(vendorOf(item({ title: 'Acme fixes' }), 'any')).toBeUndefined();
  });

  it('tells end of life before vulnerability, and vulnerability before a product update', () => {
    expect(kindOf(item({ title: 'Fin de soporte de ESET Endpoint 8' }))).toBe('end-of-life');
    expect(kindOf(item({ title: 'Security update fixes CVE-2026-1 in ESET' }))).toBe('vulnerability');
    expect(kindOf(item({ title: 'Nueva versión de ESET PROTECT' }))).toBe('product-update');
    expect(kindOf(item({ title: 'Quarterly report', link: 'https://www.security.com/threat-intelligence/x' }))).toBe('threat');
  });
});

describe('charset', () => {
  it('prefers the Content-Type charset, then a BOM, then the prolog, then UTF-8', () => {
    const latin1 = Buffer.from('<?xml version="1.0"?><t>Año</t>', 'latin1');
    expect(decodeBody(latin1, 'text/xml; charset=ISO-8859-1').text).toContain('Año');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>Año</t>', 'utf8')]);
    expect(decodeBody(bom).text).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><t>Año</t>');
    expect(decodeBody(Buffer.from('{"a":"ñ"}', 'utf8'), 'application/json').text).toBe('{"a":"ñ"}');
    // Undeclared and not valid UTF-8: read as windows-1252 rather than replacement characters.
    expect(decodeBody(latin1).text).toContain('Año');
    // An unknown charset label in the header is ignored, not fatal.
    expect(decodeBody(Buffer.from('ok', 'utf8'), 'text/xml; charset=x-unknown').text).toBe('ok');
  });
});
