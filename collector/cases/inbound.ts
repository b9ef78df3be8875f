// Reading an inbound mail: is it automatic (an auto-reply, a bounce: recorded, never answered), which ticket does it
// answer, what is new in it (quoted history trimmed, the signature kept), the case's fields written in its body, and
// which attachments are refused (executables, archives that hold one, too large). Pure functions over mailparser's output.
import type { ParsedMail } from 'mailparser';

/** Why a mail is automatic, or null for a person's mail (RFC 3834 and the usual vendor headers). */
export function automaticReason(mail: Pick<ParsedMail, 'headers' | 'from'>): string | null {
  const h = mail.headers;
  const value = (name: string): string => {
    const v = h.get(name);
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v.toLowerCase();
    if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value).toLowerCase();
    return String(v as unknown).toLowerCase();
  };
  const auto = value('auto-submitted');
  if (auto && auto !== 'no') return `auto-submitted: ${auto}`;
  if (value('x-autoreply') || value('x-autorespond') || value('x-auto-response-suppress').includes('all')) return 'auto-reply header';
  if (/^(bulk|junk|list|auto_reply)$/.test(value('precedence'))) return `precedence: ${value('precedence')}`;
  if (value('x-failed-recipients')) return 'bounce';
  if (value('content-type').includes('multipart/report')) return 'delivery report';
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster|no-?reply)@/.test(from)) return `sender ${from}`;
  return null;
}

/** A ticket number (XR-2026-000123) in a subject. */
export function ticketNumberIn(subject: string): string | undefined {
  return /\bXR-\d{4}-\d{6}\b/i.exec(subject)?.[0].toUpperCase();
}

/** The subject without reply/forward prefixes and the ticket prefix: a new case's title. */
export function cleanSubject(subject: string): string {
  return subject.replace(/^(\s*(re|rv|fw|fwd|reenv|resp)\s*:\s*)+/i, '').replace(/\[XR-\d{4}-\d{6}\]\s*/i, '').trim();
}

const QUOTE_START = [
  /^\s*(El|On)\s.{0,200}\s(escribió|wrote)\s*:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Mensaje original)\s*-{2,}\s*$/i,
  /^\s*(De|From)\s*:\s.+$/,
  /^\s*_{10,}\s*$/,
];

/** What is new in a reply: the text above the quoted history (the signature kept), trailing blank lines removed. */
export function trimQuoted(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (QUOTE_START.some((re) => re.test(line))) break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n').replace(/\s+$/, '');
}

/** The case's fields a contact may write in the body, in the manuals' form ("Producto: …", "Prioridad: 2"). */
export interface BodyFields {
  vendor?: string;
  product?: string;
  productVersion?: string;
  os?: string;
  osVersion?: string;
  priority?: 1 | 2 | 3 | 4;
}

const FIELD_PATTERNS: [keyof BodyFields, RegExp][] = [
  ['vendor', /^\s*(fabricante|marca|vendor)\s*:\s*(.+)$/im],
  ['product', /^\s*(producto|product)\s*:\s*(.+)$/im],
  ['productVersion', /^\s*(versi[oó]n del producto|versi[oó]n|product version|version)\s*:\s*(.+)$/im],
  ['os', /^\s*(sistema operativo|plataforma|operating system|os|platform)\s*:\s*(.+)$/im],
  ['osVersion', /^\s*(versi[oó]n del (sistema operativo|so)|os version)\s*:\s*(.+)$/im],
];

/** Reads the form's fields from a body; absent fields are left out. */
export function fieldsFromBody(body: string): BodyFields {
  const out: BodyFields = {};
  for (const [key, re] of FIELD_PATTERNS) {
    const m = re.exec(body);
    const value = m?.[m.length - 1]?.trim();
    if (value && key !== 'priority') out[key] = value.slice(0, 120) as never;
  }
  const p = /^\s*(prioridad|priority|nivel|level)\s*:?\s*(nivel\s*|level\s*)?([1-4])\b/im.exec(body);
  if (p) out.priority = Number(p[3]) as 1 | 2 | 3 | 4;
  return out;
}

const EXECUTABLE = /\.(exe|dll|scr|com|bat|cmd|msi|msp|ps1|psm1|vbs|vbe|js|jse|wsf|wsh|hta|jar|sh|cpl|lnk|pif|reg|app|apk|elf|run|bin)$/i;
const ARCHIVE = /\.(zip|rar|7z|tar|gz|tgz|bz2|xz|cab|iso|arj|lzh|ace)$/i;

/** The names in a ZIP's central directory (no decompression: names are enough to refuse an executable inside). */
export function zipEntryNames(buf: Buffer): string[] {
  const names: string[] = [];
  for (let i = buf.indexOf('PK\x01\x02'); i >= 0 && i + 46 <= buf.length; i = buf.indexOf('PK\x01\x02', i + 4)) {
    const len = buf.readUInt16LE(i + 28);
    names.push(buf.subarray(i + 46, i + 46 + len).toString('utf8'));
  }
  return names;
}

/** Why an attachment is refused (Spanish and English reasons are the caller's), or null when it is accepted. */
export function refusalOf(a: { filename?: string; content: Buffer; size?: number }, maxBytes: number): 'too-large' | 'executable' | 'archive-with-executable' | 'archive-unreadable' | null {
  const name = a.filename ?? '';
  if (a.content.length > maxBytes) return 'too-large';
  const head = a.content.subarray(0, 4).toString('latin1');
  if (EXECUTABLE.test(name) || head.startsWith('MZ') || head === '\x7fELF') return 'executable';
  if (/\.zip$/i.test(name) || head === 'PK\x03\x04') {
    const names = zipEntryNames(a.content);
    return names.some((n) => EXECUTABLE.test(n) || ARCHIVE.test(n)) ? 'archive-with-executable' : null;
  }
  // Archives we cannot list are refused: what they hold cannot be checked.
  if (ARCHIVE.test(name)) return 'archive-unreadable';
  return null;
}
