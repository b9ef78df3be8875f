// HTML that escapes by default: every value interpolated into `html\`…\`` is escaped unless it is SafeHtml made by
// this module (another html`` fragment). Capture text (computer names, threats, paths) cannot become markup.

/** Markup known to be safe: built only by `html` (or `raw` for constant strings). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/** A value html`` accepts: text (escaped), numbers, SafeHtml, lists of them; null, undefined and false print nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The tagged template: literal parts as written, values escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Marks a constant, developer-written string as markup (never pass data to it). */
export function raw(constant: string): SafeHtml {
  return new SafeHtml(constant);
}
