// Identity keys, canonical links, the alias table and the version parser: pure functions, checked case by case.
import { describe, expect, it } from 'vitest';
import { canonicalLink, cvesIn, esetAdvisoryId, normalizeCve, vulnerabilityKeys } from './identity.js';
import { kevProduct, meaningful, parseKev } from './parse.js';
import { familiesOfProducts, familiesOfTitle, titleConcerned } from './products.js';
import { sectionsOf, versionsIn } from './versions.js';

describe('identity', () => {
  it('normalises CVE ids: invisible characters, case, dashes', () => {
    expect(normalizeCve('CVE-2017-\u200b6327')).toBe('CVE-2017-6327');
    expect(normalizeCve(' cve-2017-6327\ufeff')).toBe('CVE-2017-6327');
    expect(normalizeCve('CVE\u20112017\u20116327')).toBe('CVE-2017-6327');
    expect(normalizeCve('CVE-2017')).toBeUndefined();
    expect(cvesIn('see CVE-2017-\u200b6327 and cve-2024-11859')).toEqual(['CVE-2017-6327', 'CVE-2024-11859']);
  });

  it('keys an item by its CVEs and the vendor id', () => {
    expect(vulnerabilityKeys({ cves: ['CVE-2017-\u200b6327', 'cve-2017-6327'], vendorId: 'ca8810' })).toEqual(['CVE-2017-6327', 'vendor:CA8810']);
    expect(esetAdvisoryId('https://support.eset.com/en/ca8810-dll-search-order-hijacking')).toBe('CA8810');
    expect(esetAdvisoryId('[CA 9101] Local privilege escalation')).toBe('CA9101');
    expect(esetAdvisoryId('https://support.eset.com/en/kb8810')).toBeUndefined();
  });

  it('canonicalises links', () => {
    expect(canonicalLink('https://NVD.nist.gov/vuln/detail/CVE-2017-\u200b6327/')).toBe('https://nvd.nist.gov/vuln/detail/CVE-2017-6327');
    expect(canonicalLink('https://support.eset.com/en/ca9101?utm_source=rss&x=1#top')).toBe('https://support.eset.com/en/ca9101?x=1');
    expect(canonicalLink('javascript:alert(1)')).toBeUndefined();
    expect(canonicalLink('')).toBeUndefined();
  });
});

describe('KEV entries as a person reads them', () => {
  it('never doubles the vendor, takes the vendor link from the notes, drops "None"', () => {
    expect(kevProduct('Symantec', 'Symantec Messaging Gateway')).toBe('Symantec Messaging Gateway');
    expect(kevProduct('Symantec', 'Messaging Gateway')).toBe('Symantec Messaging Gateway');
    const [item] = parseKev(JSON.stringify({ vulnerabilities: [{ cveID: 'CVE-2017-\u200b6327', vendorProject: 'Symantec',
      product: 'Symantec Messaging Gateway', vulnerabilityName: 'SMG RCE', dateAdded: '2021-11-03', shortDescription: 'x',
      notes: 'https://nvd.nist.gov/vuln/detail/CVE-2017-6327 ; https://support.broadcom.com/x/90101' }] }));
    expect(item).toMatchObject({ guid: 'kev:CVE-2017-6327', link: 'https://nvd.nist.gov/vuln/detail/CVE-2017-6327',
      vendorLink: 'https://support.broadcom.com/x/90101', products: ['Symantec Messaging Gateway'] });
    expect(meaningful('None')).toBeUndefined();
    expect(meaningful(' n/a ')).toBeUndefined();
    expect(meaningful('Upgrade to 10.6.3')).toBe('Upgrade to 10.6.3');
  });
});

describe('products', () => {
  it('maps customer titles to families, ignoring case and spacing', () => {
    expect(familiesOfTitle('eset  protect ENTRY')).toContain('eset-protect');
    expect(familiesOfTitle('ESET PROTECT Complete')).toContain('eset-mail');
    expect(familiesOfTitle('ESET Endpoint Security')).toEqual(['eset-endpoint']);
    expect(familiesOfTitle('Symantec Endpoint Protection')).toEqual(['sep']);
    expect(familiesOfTitle('Something else')).toBeUndefined();
  });

  it('finds the families an advisory names, per vendor', () => {
    expect(familiesOfProducts(['Symantec Messaging Gateway'], 'symantec')).toEqual(['symantec-messaging-gateway']);
    expect(familiesOfProducts(['Symantec Endpoint Protection Manager 14.3 RU9'], 'symantec')).toEqual(['sep']);
    expect(familiesOfProducts(['ESET Management Agent', 'ESET Endpoint Antivirus for macOS'], 'eset')).toEqual(['eset-protect', 'eset-endpoint']);
    expect(familiesOfProducts(['ESET Server Security for Linux'], 'eset')).toEqual(['eset-server']);
  });

  it('a title is concerned by its families, by a vendor-wide notice, and (unknown title) by everything', () => {
    expect(titleConcerned('Symantec Endpoint Protection', ['symantec-messaging-gateway'])).toBe(false);
    expect(titleConcerned('Symantec Endpoint Protection', [])).toBe(true);
    expect(titleConcerned('ESET PROTECT Entry', ['eset-protect'])).toBe(true);
    expect(titleConcerned('A title nobody mapped', ['eset-protect'])).toBe(true);
  });
});

describe('versions', () => {
  it('reads the sections of an ESET customer advisory', () => {
    const s = sectionsOf('<h3>Issue</h3><p>A flaw.</p><h3>Solution</h3><p>Fixed in ESET PROTECT 12.0.1.</p>'
      + '<h3>Affected programs and versions</h3><ul><li>ESET PROTECT 12.0 and earlier</li></ul>');
    expect(s).toEqual({ issue: 'A flaw.', solution: 'Fixed in ESET PROTECT 12.0.1.', affected: ['ESET PROTECT 12.0 and earlier'] });
    expect(sectionsOf('<p>A blog post</p>')).toEqual({ affected: [] });
  });

  it('finds fixed and affected versions in the vendor\'s words', () => {
    expect(versionsIn('Upgrade Symantec Endpoint Protection Manager to 14.3 RU10 or later.').fixed).toEqual(['14.3 RU10']);
    expect(versionsIn('Upgrade Symantec Messaging Gateway to 10.6.3-267 or later.').fixed).toEqual(['10.6.3-267']);
    expect(versionsIn('The issue is fixed in ESET PROTECT 12.0.1; upgrading to version 12.0.1 or later.').fixed).toEqual(['12.0.1']);
    expect(versionsIn('ESET Endpoint Security 12.1.2000 and earlier').affected).toEqual(['12.1.2000 and earlier']);
    expect(versionsIn('No versions here.')).toEqual({ fixed: [], affected: [] });
  });
});
