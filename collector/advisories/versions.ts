// The parts of a vendor's advisory a customer acts on: the affected and the fixed versions. ESET's customer advisories
// (support.eset.com, "CA8810") have headed sections — "Issue", "Solution", "Affected programs and versions"; Broadcom's
// give the fix in `workAround` ("Upgrade … to 14.3 RU10 or later"). Pure; text only, in the vendor's words.

/** The sections an ESET-style advisory page or feed item has, each as plain text. */
export interface AdvisorySections {
  issue?: string;
  solution?: string;
  /** One entry per line (list item) of "Affected programs and versions". */
  affected: string[];
}

const HEADING = /<h[1-6][^>]*>([\s\S]*?)<\/h[1-6]>/gi;

/** Splits an advisory's HTML at its headings and returns the sections it knows (none: an ordinary post). */
export function sectionsOf(html: string): AdvisorySections {
  const out: AdvisorySections = { affected: [] };
  const heads = [...html.matchAll(HEADING)];
  heads.forEach((h, i) => {
    const name = plain(h[1] ?? '').toLowerCase();
    const body = html.slice(h.index! + h[0].length, heads[i + 1]?.index ?? html.length);
    if (/^(?:issue|problema|details?)$/.test(name)) out.issue = plain(body);
    else if (/^(?:solution|soluci[oó]n|remediation|resolution)$/.test(name)) out.solution = plain(body);
    else if (/^(?:affected (?:programs|products)(?: and versions)?|programas y versiones afectad[ao]s|productos afectados)$/.test(name)) {
      const items = [...body.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/gi)].map((m) => plain(m[1] ?? '')).filter(Boolean);
      out.affected = items.length > 0 ? items : plain(body).split(/\s*[;\n]\s*/).filter(Boolean);
    }
  });
  return out;
}

const VERSION = String.raw`v?\d+(?:\.\d+)+(?:-\d+)?(?:\s?(?:RU|MP|SP|HF)\s?\d+)*(?:\s?MP\d+)?|\d+\s?(?:RU|MP)\s?\d+(?:\s?MP\d+)?`;
const FIXED = new RegExp(String.raw`(?:fixed in|fix(?:ed)? is (?:available )?in|resolved in|addressed in|upgrad(?:e|ing)(?:\s+\S+){0,6}?\s+to|updat(?:e|ing)(?:\s+\S+){0,6}?\s+to|corregid[ao]s? en|actualice(?:\s+\S+){0,6}?\s+a)\s+(?:(?:the\s+)?(?:version|versi[oó]n)\s+)?(?:[A-Z][\w.-]*\s+){0,4}?(${VERSION})`, 'gi');
const AFFECTED = new RegExp(String.raw`(?:${VERSION})(?:\s+and\s+(?:earlier|older|prior)|\s+y\s+anteriores)|(?:prior to|before|earlier than|anteriores a)\s+(?:version\s+)?(?:${VERSION})`, 'gi');

/** The fixed and affected versions a text states, each once, as written. */
export function versionsIn(text: string): { fixed: string[]; affected: string[] } {
  const fixed = [...new Set([...text.matchAll(FIXED)].map((m) => (m[1] ?? '').trim()).filter(Boolean))];
  const affected = [...new Set([...text.matchAll(AFFECTED)].map((m) => m[0].trim()))];
  return { fixed, affected };
}

function plain(html: string): string {
  return html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n').trim();
}
