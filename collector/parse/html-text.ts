// HTML → plain text for notification e-mails. A single linear scan (no backtracking regular expressions over the
// whole document), so a hostile or huge body cannot stall the collector. Table rows become lines with their cells
// separated by a tab, which is what the vendor parsers split on.
import { collapseBlanks } from './common/labels.js';
import { AsciiWordTable } from './common/word-table.js';

const BLOCK_TAGS = [
  'br', 'p', 'div', 'tr', 'li', 'ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'section', 'article', 'header', 'footer', 'blockquote', 'pre', 'dt', 'dd', 'dl', 'title', 'caption',
];
const CELL_TAGS = ['td', 'th'];
const SKIP_CONTENT_TAGS = ['script', 'style', 'head', 'noscript', 'template'];

// The tags that matter, found by their name's place in the document (no string is made of each tag's name).
const OTHER_TAG = 0;
const BLOCK_TAG = 1;
const CELL_TAG = 2;
const SKIP_CONTENT_TAG = 3;
const TAGS = new AsciiWordTable([...BLOCK_TAGS, ...CELL_TAGS, ...SKIP_CONTENT_TAGS]);
const TAG_KINDS: readonly number[] = [
  ...BLOCK_TAGS.map(() => BLOCK_TAG), ...CELL_TAGS.map(() => CELL_TAG), ...SKIP_CONTENT_TAGS.map(() => SKIP_CONTENT_TAG),
];

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™',
  laquo: '«', raquo: '»', hellip: '…', ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  bull: '•', middot: '·', deg: '°', ordm: 'º', ordf: 'ª', iexcl: '¡', iquest: '¿', euro: '€',
  aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', ntilde: 'ñ', uuml: 'ü', ouml: 'ö', auml: 'ä',
  Aacute: 'Á', Eacute: 'É', Iacute: 'Í', Oacute: 'Ó', Uacute: 'Ú', Ntilde: 'Ñ', Uuml: 'Ü', Ouml: 'Ö', Auml: 'Ä',
  agrave: 'à', egrave: 'è', ccedil: 'ç', szlig: 'ß',
};

/** Decodes HTML character references (named, decimal, hexadecimal); unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z]{2,8});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

/** The readable text of an HTML document: tags removed, entities decoded, one line per block or table row. */
export function htmlToText(html: string): string {
  const out = new Layout();
  let i = 0;
  // The tag (its place in TAGS) whose content is being skipped.
  let skipUntil: number | null = null;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (skipUntil === null && textEnd > i) out.text(textOf(html.slice(i, textEnd)));
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    if (!opensTag(html, lt)) {
      // "<" that opens no tag (e.g. "a < b") is text.
      if (skipUntil === null) out.text('<');
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    // A tag cut off by the end of the document is not text.
    if (gt < 0) break;
    i = gt + 1;
    const closing = html.charCodeAt(lt + 1) === 0x2f;
    const nameStart = closing ? lt + 2 : lt + 1;
    // Doctype, processing instructions and CDATA carry no text we want.
    if (!isAsciiLetter(html.charCodeAt(nameStart))) continue;
    const nameEnd = tagNameEnd(html, nameStart + 1);
    const tag = TAGS.find(html, nameStart, nameEnd);
    if (skipUntil !== null) {
      if (closing && tag === skipUntil) skipUntil = null;
      continue;
    }
    const kind = tag < 0 ? OTHER_TAG : TAG_KINDS[tag]!;
    if (!closing && kind === SKIP_CONTENT_TAG && html.charCodeAt(gt - 1) !== 0x2f) {
      skipUntil = tag;
    } else if (kind === CELL_TAG) {
      if (closing) out.endCell();
    } else if (kind === BLOCK_TAG) {
      out.endLine();
    }
  }
  return out.done();
}

// The text between two tags: entities decoded (only when there is one), every run of blanks one space.
function textOf(chunk: string): string {
  return collapseBlanks(chunk.includes('&') ? decodeEntities(chunk) : chunk);
}

const isAsciiLetter = (code: number): boolean => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

// The end of a tag name ([A-Za-z][A-Za-z0-9]*) whose first letter is before `from`. It never runs past the tag's
// ">", which a name cannot contain.
function tagNameEnd(html: string, from: number): number {
  let end = from;
  for (let code = html.charCodeAt(end); isAsciiLetter(code) || (code >= 0x30 && code <= 0x39); code = html.charCodeAt(end)) end += 1;
  return end;
}

// "<" followed by a letter, or by "/", "!" or "?" and a letter: what /^<[/!?]?[A-Za-z]/ says, read in place.
function opensTag(html: string, lt: number): boolean {
  const next = html.charCodeAt(lt + 1);
  if (next === 0x2f || next === 0x21 || next === 0x3f) return isAsciiLetter(html.charCodeAt(lt + 2));
  return isAsciiLetter(next);
}

// The text laid out as it is read: one space between words, cells joined by one tab, no blank runs, no tab at line
// ends, no empty line. (The text pieces hold no tab or newline, their blanks being collapsed to spaces: a cell ends
// only at a cell's end tag, a line only at a block tag.)
class Layout {
  private cell = '';
  private cells: string[] = [];
  private readonly lines: string[] = [];

  text(piece: string): void {
    this.cell += piece;
  }

  endCell(): void {
    // Most cells hold single spaces only: the global replace (a runtime call) is kept for those that do not.
    const cell = (this.cell.includes('  ') ? this.cell.replace(/ +/g, ' ') : this.cell).trim();
    if (cell !== '') this.cells.push(cell);
    this.cell = '';
  }

  endLine(): void {
    this.endCell();
    if (this.cells.length === 0) return;
    this.lines.push(this.cells.join('\t'));
    this.cells = [];
  }

  done(): string {
    this.endLine();
    return this.lines.join('\n');
  }
}
