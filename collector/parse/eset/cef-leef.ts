// ESET PROTECT's syslog export in CEF (ArcSight) and LEEF (QRadar). Both are translated to the JSON export's keys,
// so one mapping (record.ts) serves the three formats. Keys follow ESET's CEF page and the LEEF names used by
// QRadar and Exabeam parsers; unknown keys are kept in `extra` under their own name.
import type { ParsedEvent } from '../../../protocol/event.js';
import { allMatches } from '../common/labels.js';
import type { EsetRecord } from './record.js';
import { exportKind, recordToEvent } from './record.js';

const CEF_KEYS: Record<string, string> = {
  dvchost: 'hostname', dvc: 'ipv4', c6a1: 'ipv6', rt: 'occured', deviceexternalid: 'source_uuid',
  esetprotectdevicegroupname: 'group_name', esetprotectdeviceosname: 'os_name',
  esetprotectdevicegroupdescription: 'group_description', filepath: 'object_uri', request: 'object_uri',
  filetype: 'object_type', filehash: 'hash', suser: 'username', duser: 'username', sproc: 'processname',
  spt: 'source_port', dpt: 'target_port', proto: 'protocol', cnt: 'aggregate_count', msg: 'detail',
  outcome: 'result', reason: 'cause', cat: 'category',
};
const LEEF_KEYS: Record<string, string> = {
  devicename: 'hostname', devtime: 'occured', sev: 'severity', threattype: 'threat_type', threatname: 'threat_name',
  eventdesc: 'event', objecturi: 'object_uri', objecttype: 'object_type', actiontaken: 'action_taken',
  accountname: 'username', engineversion: 'engine_version', threathandled: 'threat_handled',
  needrestart: 'need_restart', scannerid: 'scanner_id', processname: 'processname', srcport: 'source_port',
  dstport: 'target_port', proto: 'protocol', cat: 'category', usrname: 'username', rulename: 'rulename',
};
// ESET's CEF cs1–cs5 of a threat event when the labels are missing.
const THREAT_CUSTOM_STRINGS = ['threat_name', 'engine_version', 'threat_type', 'scanner_id', 'scan_id'];

const CATEGORY_TYPES: [RegExp, string][] = [
  [/threat/i, 'Threat_Event'], [/firewall/i, 'FirewallAggregated_Event'], [/hips/i, 'HipsAggregated_Event'],
  [/audit/i, 'Audit_Event'], [/inspect|enterprise inspector/i, 'EnterpriseInspectorAlert_Event'],
  [/blocked file/i, 'BlockedFiles_Event'], [/website|web site|url/i, 'FilteredWebsites_Event'],
];
const SIGNATURE_TYPES = ['Threat_Event', 'FirewallAggregated_Event', 'HipsAggregated_Event', 'Audit_Event',
  'EnterpriseInspectorAlert_Event', 'BlockedFiles_Event', 'FilteredWebsites_Event'];

// Splits on "|" not escaped by a backslash, at most `parts` pieces (the last keeps its pipes and backslashes as
// written). The text between separators and escapes is taken as slices, not copied character by character.
function splitHeader(text: string, parts: number): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  while (out.length < parts - 1) {
    const pipe = text.indexOf('|', i);
    const backslash = text.indexOf('\\', i);
    if (backslash >= 0 && (pipe < 0 || backslash < pipe)) {
      // A backslash escapes the character after it; a last one stays as written, in the final piece.
      if (backslash + 1 >= text.length) break;
      current += text.slice(i, backslash) + text[backslash + 1];
      i = backslash + 2;
    } else if (pipe >= 0) {
      out.push(current + text.slice(i, pipe));
      current = '';
      i = pipe + 1;
    } else {
      break;
    }
  }
  out.push(current + text.slice(i));
  return out;
}

// A key of a CEF extension, at the start or after a blank, up to its `=`.
const CEF_KEY = /(?:^|\s)([A-Za-z0-9_.[\]-]{1,64})=/g;

/** CEF extension `k1=v1 k2=v with spaces` → pairs; `\=`, `\\`, `\n` unescaped. */
export function parseCefExtension(text: string): [string, string][] {
  const keys = allMatches(text, CEF_KEY);
  return keys.map((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const next = keys[i + 1];
    const end = next ? (next.index ?? text.length) : text.length;
    const value = unescapeCef(text.slice(start, end).trim());
    return [m[1] ?? '', value];
  });
}

// `\=`, `\\`, `\|`, `\n`, `\r`; a value without a backslash (nearly all) has nothing to unescape.
function unescapeCef(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\([=\\|])/g, '$1').replace(/\\n/g, '\n').replace(/\\r/g, '\r');
}

function eventTypeFrom(category: string | undefined, signatureId: string | undefined): string | undefined {
  for (const [pattern, type] of CATEGORY_TYPES) if (category && pattern.test(category)) return type;
  const id = Number(signatureId);
  if (Number.isInteger(id) && id >= 100 && id < 800) return SIGNATURE_TYPES[Math.floor(id / 100) - 1];
  return undefined;
}

// Fields whose meaning depends on the kind of event: where the address is, where the action goes.
function placeByKind(record: EsetRecord, src: string | undefined, dst: string | undefined, act: string | undefined, name: string | undefined): void {
  const kind = exportKind(typeof record.event_type === 'string' ? record.event_type : undefined);
  if (kind === 'firewall') {
    if (src !== undefined) record.source_address = src;
    if (dst !== undefined) record.target_address = dst;
  } else {
    if (src !== undefined && record.ipv4 === undefined) record.ipv4 = src;
    if (dst !== undefined) record.target_address = dst;
  }
  if (act !== undefined) {
    if (kind === 'threat' || kind === 'website') record.action_taken ??= act;
    else record.action ??= act;
  }
  if (name === undefined) return;
  if ((kind === 'firewall' || kind === 'website') && record.event === undefined) record.event = name;
  if (kind === 'audit' && record.action === undefined) record.action = name;
  if (kind === 'inspect' && record.rulename === undefined) record.rulename = name;
  if (kind === 'hips' && record.operation === undefined) record.operation = name;
  record.event_name = name;
}

/** Parses an ESET CEF export line; null when the text carries no CEF header from ESET. */
export function parseEsetCef(text: string, fallbackTime: string): ParsedEvent[] | null {
  const at = text.indexOf('CEF:');
  if (at < 0) return null;
  const [, vendor, product, version, signatureId, name, severity, extension = ''] = splitHeader(text.slice(at), 8);
  if (!vendor || !/eset/i.test(vendor)) return null;
  const pairs = parseCefExtension(extension);
  const labels = new Map(pairs.filter(([k]) => /^c[sn]\d+Label$/i.test(k)).map(([k, v]) => [k.slice(0, -5).toLowerCase(), v]));
  const record: EsetRecord = { product: `ESET ${product ?? 'PROTECT'}`.replace(/^ESET Protect$/i, 'ESET PROTECT') };
  if (severity) record.severity = severity;
  if (version) record.product_version = version;
  if (signatureId) record.signature_id = signatureId;
  let src: string | undefined;
  let dst: string | undefined;
  let act: string | undefined;
  const customStrings: [string, string][] = [];
  for (const [key, value] of pairs) {
    const k = key.toLowerCase();
    if (/^c[sn]\d+label$/.test(k)) continue;
    if (/^c[sn]\d+$/.test(k)) {
      customStrings.push([k, value]);
    } else if (k === 'src') src = value;
    else if (k === 'dst') dst = value;
    else if (k === 'act') act = value;
    else record[CEF_KEYS[k] ?? k] = value;
  }
  record.event_type = eventTypeFrom(typeof record.category === 'string' ? record.category : undefined, signatureId) ?? name;
  for (const [k, value] of customStrings) {
    const label = labels.get(k);
    if (label) record[label.toLowerCase().replace(/\W+/g, '_')] = value;
    else if (exportKind(String(record.event_type)) === 'threat' && /^cs[1-5]$/.test(k)) record[THREAT_CUSTOM_STRINGS[Number(k[2]) - 1] ?? k] = value;
    else record[k] = value;
  }
  placeByKind(record, src, dst, act, name);
  return [recordToEvent(record, 'eset/cef', fallbackTime)];
}

/** Parses an ESET LEEF export line; null when the text carries no LEEF header from ESET. */
export function parseEsetLeef(text: string, fallbackTime: string): ParsedEvent[] | null {
  const at = text.indexOf('LEEF:');
  if (at < 0) return null;
  const leefVersion = /^LEEF:(\d+(?:\.\d+)?)/.exec(text.slice(at))?.[1] ?? '1.0';
  const v2 = Number(leefVersion) >= 2;
  const fields = splitHeader(text.slice(at), v2 ? 7 : 6);
  const [, vendor, product, version, eventId] = fields;
  if (!vendor || !/eset/i.test(vendor)) return null;
  let delimiter = '\t';
  if (v2 && fields[5]) delimiter = fields[5].startsWith('x') || fields[5].startsWith('0x') ? String.fromCharCode(parseInt(fields[5].replace(/^0?x/, ''), 16)) : fields[5];
  const attributes = (v2 ? fields[6] : fields[5]) ?? '';
  const pairs = attributes.includes(delimiter)
    ? attributes.split(delimiter).map((pair): [string, string] => [pair.slice(0, Math.max(0, pair.indexOf('='))), pair.slice(pair.indexOf('=') + 1)]).filter(([k]) => k !== '')
    : parseCefExtension(attributes);
  const record: EsetRecord = { product: `ESET ${product ?? 'PROTECT'}` };
  if (version) record.product_version = version;
  let src: string | undefined;
  let dst: string | undefined;
  for (const [key, value] of pairs) {
    const k = key.trim().toLowerCase();
    if (k === 'src') src = value;
    else if (k === 'dst') dst = value;
    else if (k !== 'devtimeformat') record[LEEF_KEYS[k] ?? k] = value.trim();
  }
  record.event_type = eventTypeFrom(typeof record.category === 'string' ? record.category : undefined, undefined) ?? eventId;
  placeByKind(record, src, dst, undefined, eventId);
  return [recordToEvent(record, 'eset/leef', fallbackTime)];
}
