// Rendering one message for many readers: rendered once with marks where the two names go, then spliced per reader.
import { escapeHtml, type Template } from '../notify/template.js';
import type { Language, RenderedMessage } from '../notify/types.js';

/** A message rendered for one reader, given the reader's name and the reader's customer's name. */
export type PersonalRender = (contactName: string, customerName: string) => RenderedMessage;

// Stand-ins for the two names while rendering once for many readers, delimited by a private-use character (U+E000)
// that no feed has a reason to hold; data that holds one anyway is rendered per reader (renderPerReader checks).
const MARK = '\uE000';
const CONTACT_MARK = `${MARK}xpears:contactName${MARK}`;
const CUSTOMER_MARK = `${MARK}xpears:customerName${MARK}`;
const MARKS = /\uE000xpears:(contactName|customerName)\uE000/;

function holdsMark(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(MARK);
  if (Array.isArray(value)) return value.some(holdsMark);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsMark);
  return false;
}

// A rendered part split at the marks: even indexes are text, odd ones name the variable that goes there.
function splitAtMarks(text: string): string[] {
  return text.split(MARKS);
}

function joinParts(parts: readonly string[], names: { contactName: string; customerName: string }, html: boolean): string {
  if (parts.length === 1) return parts[0]!;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) out += parts[i]!;
    else {
      const name = parts[i] === 'contactName' ? names.contactName : names.customerName;
      out += html ? escapeHtml(name) : name;
    }
  }
  return out;
}

/** Renders a template once for many readers whose data differs only in `contactName` and `customerName` (the
 *  greeting): the same message, byte for byte, as `template.render(language, { ...data, contactName, customerName })`,
 *  at the cost of a string join per reader. Falls back to a full render per reader where splicing could differ: a
 *  name that is empty (an {{#if}} could test it), a name in the subject (subjects are normalised), U+E000 in the data. */
export function renderPerReader(template: Template, language: Language, data: Readonly<Record<string, unknown>>): PersonalRender {
  const full: PersonalRender = (contactName, customerName) => template.render(language, { ...data, contactName, customerName });
  if (holdsMark(data)) return full;
  const marked = template.render(language, { ...data, contactName: CONTACT_MARK, customerName: CUSTOMER_MARK });
  if (marked.subject.includes(MARK)) return full;
  const text = splitAtMarks(marked.text);
  const html = marked.html === undefined ? undefined : splitAtMarks(marked.html);
  return (contactName, customerName) => {
    if (contactName === '' || customerName === '') return full(contactName, customerName);
    const names = { contactName, customerName };
    const out: RenderedMessage = { subject: marked.subject, text: joinParts(text, names, false) };
    if (html) out.html = joinParts(html, names, true);
    return out;
  };
}
