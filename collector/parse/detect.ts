// Which vendor sent a capture, from its content alone; the agent's configured hint only breaks ties. Every signal
// adds weight to a vendor, so one weak clue (a word in a subject) never beats a strong one (the syslog program).
import type { Vendor } from '../../protocol/event.js';
import type { ParserInput, VendorHint } from './types.js';

/** Symantec's IANA private enterprise number is 393. ESET's PROTECT trap OIDs are not published (see docs). */
export const ENTERPRISE_OIDS: Readonly<Record<Exclude<Vendor, 'unknown'>, readonly string[]>> = {
  symantec: ['1.3.6.1.4.1.393'],
  eset: [],
};

/** The weight each vendor collected, and the signals that gave it, for logs and tests. */
export interface VendorDetection {
  vendor: Vendor;
  scores: Record<Exclude<Vendor, 'unknown'>, number>;
  signals: string[];
}

const STRONG = 10;
const MEDIUM = 5;
const WEAK = 2;

type Known = Exclude<Vendor, 'unknown'>;

// Pattern, vendor, weight, signal name and, for vendorOf, text that every match contains: a text without it is
// passed over with includes(), cheaper than running the pattern.
const TEXT_SIGNALS: [RegExp, Known, number, string, string?][] = [
  [/^\s*(?:CEF:\d+|LEEF:[\d.]+)\|ESET\|/im, 'eset', STRONG, 'cef/leef vendor ESET', '|'],
  [/^\s*(?:CEF:\d+|LEEF:[\d.]+)\|Symantec\|/im, 'symantec', STRONG, 'cef/leef vendor Symantec', '|'],
  [/"event_type"\s*:\s*"(?:threat_event|firewallaggregated_event|hipsaggregated_event|audit_event|filteredwebsites_event|enterpriseinspectoralert_event|blockedfiles_event|eset inspect alert)"/i, 'eset', STRONG, 'eset json event_type', '"'],
  [/"(?:occured|source_uuid|threat_handled|eiconsolelink)"\s*:/i, 'eset', MEDIUM, 'eset json keys', '"'],
  [/ESET PROTECT|ESET Remote Administrator|ESET Security Management Center|ESET Inspect|\bESMC\b/i, 'eset', MEDIUM, 'eset product name'],
  // "Detection type" alone is not ESET's: SEPM's SONAR lines carry it too.
  [/\b(?:Detection name|Nombre de (?:la )?detecci[oó]n)\s*:/i, 'eset', MEDIUM, 'eset detection labels'],
  [/(?:antivirus|firewall|hips) events in \d+ minutes|eventos de (?:antivirus|firewall|hips) en \d+ minutos/i, 'eset', MEDIUM, 'eset threshold text'],
  [/\bHEARTBEAT\b/, 'eset', WEAK, 'heartbeat', 'HEARTBEAT'],
  [/Symantec Endpoint Protection|\bSEPM\b|Symantec/i, 'symantec', MEDIUM, 'symantec product name'],
  [/\b(?:Risk name|Actual action|Requested action|Secondary action|Nombre del riesgo|Acci[oó]n real)\s*:/i, 'symantec', MEDIUM, 'sepm risk labels'],
  [/^(?:Virus found|Security risk found|Potential risk found|Forced SONAR threat detected)\b/im, 'symantec', MEDIUM, 'sepm risk event'],
  [/\b(?:Site|Server Name|Event Description|CIDS Signature ID|Intrusion ID)\s*:/i, 'symantec', WEAK, 'sepm log labels'],
];

// The text signals again in two orders, one vendor's (heaviest first) before the other's, with the weight each vendor
// can still gain after each one: what lets vendorOf stop once the rest cannot change the answer.
interface SignalOrder {
  signals: typeof TEXT_SIGNALS;
  remaining: Record<Known, number>[];
}

function signalOrder(vendors: readonly Known[]): SignalOrder {
  const signals = vendors.flatMap((vendor) =>
    TEXT_SIGNALS.filter((s) => s[1] === vendor).sort((a, b) => b[2] - a[2] || linesOnly(b[0]) - linesOnly(a[0])));
  const remaining = signals.map((_, i) => {
    const rest: Record<Known, number> = { eset: 0, symantec: 0 };
    for (const [, vendor, weight] of signals.slice(i)) rest[vendor] += weight;
    return rest;
  });
  return { signals, remaining };
}

// 1 for a pattern anchored at line starts (^ with the m flag): tried only there, it is cheaper than an unanchored
// one of the same weight, so it goes first among them.
function linesOnly(pattern: RegExp): number {
  return pattern.multiline && pattern.source.startsWith('^') ? 1 : 0;
}

const ESET_FIRST = signalOrder(['eset', 'symantec']);
const SYMANTEC_FIRST = signalOrder(['symantec', 'eset']);

type Add = (vendor: Known, weight: number, signal: string) => void;

/** Scores every vendor on a capture's content; `hint` decides only when the content leaves a tie. */
export function detectVendor(input: ParserInput, hint?: VendorHint): VendorDetection {
  const scores: Record<Known, number> = { eset: 0, symantec: 0 };
  const signals: string[] = [];
  const add = (vendor: Known, weight: number, signal: string): void => {
    scores[vendor] += weight;
    signals.push(`${vendor}:${signal}`);
  };
  contextSignals(input, add);

  // The first 8 KB carry every signal we look for; a huge body need not be scanned whole.
  const text = input.text.slice(0, 8192);
  for (const [pattern, vendor, weight, signal] of TEXT_SIGNALS) {
    if (pattern.test(text)) add(vendor, weight, signal);
  }
  return { vendor: decide(scores, hint), scores, signals };
}

/**
 * The vendor detectVendor(input) names (without a hint), for the parsing front door: the same scores, but it stops
 * testing text patterns once the ones left cannot change the answer (about half of them, on a typical capture).
 * When the context already favours a vendor (its syslog program, its sender), the other vendor's patterns go first:
 * on that vendor's captures they fail, and each failure takes its weight off what the other could still reach, so
 * the answer is settled after a few long-text scans instead of all of one vendor's. The order never changes the
 * answer, only how soon it is known.
 */
export function vendorOf(input: ParserInput): Vendor {
  const scores: Record<Known, number> = { eset: 0, symantec: 0 };
  contextSignals(input, (vendor, weight) => { scores[vendor] += weight; });
  const { signals, remaining } = scores.eset > scores.symantec ? SYMANTEC_FIRST : ESET_FIRST;
  const text = input.text.slice(0, 8192);
  for (let i = 0; i < signals.length; i++) {
    const rest = remaining[i]!;
    if (scores.eset > scores.symantec + rest.symantec) return 'eset';
    if (scores.symantec > scores.eset + rest.eset) return 'symantec';
    const [pattern, vendor, weight, , mustContain] = signals[i]!;
    if ((mustContain === undefined || text.includes(mustContain)) && pattern.test(text)) scores[vendor] += weight;
  }
  return decide(scores);
}

function decide(scores: Record<Known, number>, hint?: VendorHint): Vendor {
  if (scores.eset > scores.symantec) return 'eset';
  if (scores.symantec > scores.eset) return 'symantec';
  return hint ?? 'unknown';
}

const ERA_SERVER = /\bERAServer\b/i;
const SYMANTEC_SERVER = /\bSymantecServer\b/i;

// The signals outside the text: the syslog program, the trap's enterprise OID, the e-mail's sender and subject.
function contextSignals(input: ParserInput, add: Add): void {
  // Either header field may carry the program. Each is tested alone rather than joined with a space: a whole-word
  // match cannot span the space, and the ends of a field are word boundaries as the space was.
  const appName = input.syslog?.appName ?? '';
  const hostname = input.syslog?.hostname ?? '';
  if (ERA_SERVER.test(appName) || ERA_SERVER.test(hostname)) add('eset', STRONG, 'syslog program ERAServer');
  if (SYMANTEC_SERVER.test(appName) || SYMANTEC_SERVER.test(hostname)) add('symantec', STRONG, 'syslog program SymantecServer');

  if (input.snmp) {
    for (const oid of [input.snmp.enterprise, input.snmp.trapOid]) {
      if (oid === undefined) continue;
      for (const vendor of ['eset', 'symantec'] as const) {
        if (ENTERPRISE_OIDS[vendor].some((root) => oid === root || oid.startsWith(`${root}.`))) {
          add(vendor, STRONG, `enterprise oid ${oid}`);
        }
      }
    }
  }

  if (input.channel === 'email') {
    const sender = input.from ?? '';
    if (/\beset\b|era ?server/i.test(sender)) add('eset', MEDIUM, 'sender');
    if (/symantec|sepm|broadcom/i.test(sender)) add('symantec', MEDIUM, 'sender');
    const subject = input.subject ?? '';
    if (/\bESET\b/i.test(subject) || /\bERA\b/.test(subject)) add('eset', MEDIUM, 'subject');
    if (/symantec/i.test(subject) || /\bSEPM?\b/.test(subject)) add('symantec', MEDIUM, 'subject');
  }
}
