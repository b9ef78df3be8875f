// ESET wire details the corpus does not pin down one by one: CEF escapes, LEEF 2.0 delimiters, salvage of cut JSON,
// row splitting of flattened tables, and that garbage of any shape never throws.
import { describe, expect, it } from 'vitest';
import { parseCefExtension, parseEsetCef, parseEsetLeef } from '../../collector/parse/eset/cef-leef.js';
import { parseEset } from '../../collector/parse/eset/index.js';
import { readJsonRecords } from '../../collector/parse/eset/json.js';
import { flattenedRows } from '../../collector/parse/eset/threshold.js';
import { parseEnvelope } from '../../collector/parse/index.js';
import type { ParserInput } from '../../collector/parse/types.js';
import { joinPieces, seededRandom } from '../helpers/random.js';

const AT = '2026-11-20T12:00:00.000Z';

describe('CEF', () => {
  it('splits the extension on keys and unescapes = \\ and newlines in values', () => {
    expect(parseCefExtension('msg=a\\=b c\\\\d e=line1\\nline2 filePath=C:\\Program Files\\x.exe')).toEqual([
      ['msg', 'a=b c\\d'],
      ['e', 'line1\nline2'],
      ['filePath', 'C:\\Program Files\\x.exe'],
    ]);
  });

  it('reads an escaped pipe inside a header field and refuses another vendor', () => {
    const [event] = parseEsetCef('CEF:0|ESET|Protect|11|402|Login a\\|b|2|dvchost=srv', AT) ?? [];
    expect(event?.extra?.event_name).toBe('Login a|b');
    expect(parseEsetCef('CEF:0|Trend Micro|Apex|1|1|x|5|a=b', AT)).toBeNull();
  });

  it('maps unlabelled cs1–cs5 of a threat event to ESET\'s documented meaning', () => {
    const [event] = parseEsetCef('CEF:0|ESET|Protect|11|105|Threat|5|cs1=Win32/Agent.A cs3=Trojan act=Deleted', AT) ?? [];
    expect(event).toMatchObject({ eventType: 'threat-detected', threat: { name: 'Win32/Agent.A', type: 'Trojan' }, action: 'deleted' });
  });
});

describe('LEEF', () => {
  it('reads LEEF 2.0 with a declared caret delimiter', () => {
    const [event] = parseEsetLeef('LEEF:2.0|ESET|Protect|11|Blocked URL|^|cat=ESET Filtered Website Event^sev=5^deviceName=pc-1^objectUri=http://x.test/^actionTaken=Blocked', AT) ?? [];
    expect(event).toMatchObject({ eventType: 'web-filtered', severity: 'low', computer: { name: 'pc-1' }, threat: { object: 'http://x.test/' } });
  });

  it('reads LEEF 2.0 with a hexadecimal tab delimiter', () => {
    const [event] = parseEsetLeef('LEEF:2.0|ESET|Protect|11|Logout|x09|cat=ESET RA Audit Event\tsev=2\tuser=ib\tresult=Success', AT) ?? [];
    expect(event).toMatchObject({ eventType: 'audit', severity: 'info', computer: { user: 'ib' } });
  });
});

describe('JSON salvage', () => {
  it('keeps the complete pairs of a cut object and drops the cut one', () => {
    const read = readJsonRecords('{"event_type":"Threat_Event","hostname":"pc","n":3,"ok":true,"detail":"cut here');
    expect(read).toEqual({ records: [{ event_type: 'Threat_Event', hostname: 'pc', n: 3, ok: true }], truncated: true });
  });

  it('gives up on a cut object without an event type', () => {
    expect(readJsonRecords('{"hostname":"pc","detail":"cut')).toBeNull();
  });
});

describe('flattened threshold rows', () => {
  it('splits rows on computer + time and keeps multi-word detection types', () => {
    const rows = flattenedRows(
      ' pc-1 2/19/25, 1:15:11 PM UTC+1 Potentially unwanted application Win32/Adware.X File C:\\a.exe pc-2 2/19/25, 1:16:00 PM UTC+1 Trojan JS/Agent.B URL https://x.test/',
      false,
    );
    expect(rows).toEqual([
      { computer: 'pc-1', time: '2/19/25, 1:15:11 PM UTC+1', occurredAt: '2025-02-19T12:15:11.000Z', detectionType: 'Potentially unwanted application', detectionName: 'Win32/Adware.X', objectType: 'File', objectUri: 'C:\\a.exe' },
      { computer: 'pc-2', time: '2/19/25, 1:16:00 PM UTC+1', occurredAt: '2025-02-19T12:16:00.000Z', detectionType: 'Trojan', detectionName: 'JS/Agent.B', objectType: 'URL', objectUri: 'https://x.test/' },
    ]);
  });
});

describe('parseEset claims only ESET content', () => {
  it.each([
    'Virus found,Computer name: A,Risk name: W32.X,Actual action: Cleaned',
    '{"hello":"world"}',
    'Number of events is high',
    'The license will expire in 20 days',
  ])('returns null for %j', (text) => {
    const input: ParserInput = { channel: 'syslog', text, capturedAt: AT };
    expect(parseEset(input)).toBeNull();
  });
});

describe('garbage never throws', () => {
  // A fixed pseudo-random generator: the same 200 inputs on every run.
  const next = seededRandom(42);
  const pieces = ['{"event_type":', '"', 'CEF:0|ESET|', 'LEEF:2.0|ESET|x|y|z|', '|', '=', 'Detection name:', '\t', '\n', '<', '>',
    'Number of antivirus events in 10 minutes has reached defined value (', '2/19/25, 1:15:11 PM UTC+1', '\uFEFF', '\\', 'ERAServer[1]:', '<14>1 '];
  it('yields at least one valid event for 200 random splices of format fragments', () => {
    for (let i = 0; i < 200; i += 1) {
      const line = joinPieces(next, pieces, 12);
      const events = parseEnvelope({ id: '0193a5e0-0000-7000-8000-000000000998', capturedAt: AT, source: { address: '127.0.0.1', port: 0 }, transport: 'syslog', syslog: { protocol: 'udp', line } });
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.summary.length > 0 && !Number.isNaN(Date.parse(e.occurredAt)))).toBe(true);
    }
  });
});

describe('notification language', () => {
  it('reads the console language from words, not from host names or paths', async () => {
    const { isSpanish } = await import('../../collector/parse/eset/vocabulary.js');
    expect(isSpanish('Detection type: Trojan Detection name: X Computer name: pc-equipo01 Logged user: CLIENTE\\Muñoz')).toBe(false);
    expect(isSpanish('Tipo de detección: Troyano Nombre de detección: X Nombre del equipo: pc-9')).toBe(true);
    expect(isSpanish('El uso de la licencia ha superado el límite')).toBe(true);
    expect(isSpanish('Your ESET PROTECT license will expire in 20 days.')).toBe(false);
  });
});

describe('SEPM lines are not claimed by the ESET parser', () => {
  it.each([
    'Potential risk found,Computer name: PC1,Detection type: Heuristic,Risk Level: High,Source: Heuristic Scan,Risk name: ,Actual action: Left alone',
    'PC1,Local Host IP: 10.0.0.1,Local Port: 80,TCP,Inbound,Rule: Block Unapproved Incoming Ports,Action: Blocked',
  ])('%s', (text) => {
    const input: ParserInput = { channel: 'syslog', text, capturedAt: AT };
    expect(parseEset(input)).toBeNull();
  });
});

describe('JSON lines', () => {
  it('reads one event per line when a capture holds several objects', () => {
    const text = '{"event_type":"Audit_Event","result":"Success"}\n{"event_type":"Threat_Event","threat_name":"Eicar"}';
    const events = parseEset({ channel: 'syslog', text, capturedAt: AT }) ?? [];
    expect(events.map((e) => e.eventType)).toEqual(['audit', 'threat-detected']);
  });
});
