// HTML → plain text for notification e-mails. A single linear scan (no backtracking regular expressions over the
// whole document), so a hostile or huge body cannot stall the collector. Table rows become lines with their cells
// separated by a tab, which is what the vendor parsers split on.

const BLOCK_TAGS = new Set([
  'br', 'p', 'div', 'tr', 'li', 'ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'section', 'article', 'header', 'footer', 'blockquote', 'pre', 'dt', 'dd', 'dl', 'title', 'caption',
]);
const CELL_TAGS = new Set(['td', 'th']);
const SKIP_CONTENT_TAGS = new Set(['script', 'style', 'head', 'noscript', 'template']);

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
  const out: string[] = [];
  let i = 0;
  let skipUntil: string | null = null;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (skipUntil === null && textEnd > i) out.push(decodeEntities(html.slice(i, textEnd)).replace(/\s+/g, ' '));
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    if (!/^<[/!?]?[A-Za-z]/.test(html.slice(lt, lt + 3))) {
      // "<" that opens no tag (e.g. "a < b") is text.
      if (skipUntil === null) out.push('<');
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    // A tag cut off by the end of the document is not text.
    if (gt < 0) break;
    const tag = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(html.slice(lt, Math.min(gt + 1, lt + 64)));
    i = gt + 1;
    // Doctype, processing instructions and CDATA carry no text we want.
    if (!tag) continue;
    const closing = tag[1] === '/';
    const name = (tag[2] ?? '').toLowerCase();
    if (skipUntil !== null) {
      if (closing && name === skipUntil) skipUntil = null;
      continue;
    }
    if (!closing && SKIP_CONTENT_TAGS.has(name) && !html.slice(lt, gt).endsWith('/')) {
      skipUntil = name;
    } else if (CELL_TAGS.has(name)) {
      if (closing) out.push('\t');
    } else if (BLOCK_TAGS.has(name)) {
      out.push('\n');
    }
  }
  return tidy(out.join(''));
}

// One space between words, cells joined by one tab, no blank runs, no tab at line ends.
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .split('\t')
        .map((cell) => cell.replace(/ +/g, ' ').trim())
        .filter((cell) => cell !== '')
        .join('\t'),
    )
    .filter((line) => line !== '')
    .join('\n');
}
