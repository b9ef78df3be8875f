// A minimal XML reader for the packaging tests: checks well-formedness (tags nested and closed, attributes quoted)
// and returns the elements as a flat list with their path, attributes and text. Enough for WinSW's service XML.
/** One element of the document. */
export interface XmlElement {
  path: string;
  attributes: Record<string, string>;
  text: string;
}

/** Parses `xml`; throws on a document that is not well formed. */
export function parseXml(xml: string): XmlElement[] {
  const body = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?xml[^>]*\?>/, '');
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    if (m[6]) throw new Error(`not well formed near "${body.slice(m.index, m.index + 40)}"`);
    if (m[5] !== undefined) {
      if (stack.length > 0) stack[stack.length - 1]!.text += m[5].trim();
      else if (m[5].trim()) throw new Error(`text outside the root element: ${m[5].trim().slice(0, 40)}`);
      continue;
    }
    const [, closing, name, attrText, selfClosing] = m as unknown as [string, string, string, string, string];
    if (closing) {
      const open = names.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[a[1]!] = a[2] ?? a[3] ?? '';
    const el: XmlElement = { path: [...names, name].join('/'), attributes, text: '' };
    out.push(el);
    if (!selfClosing) { names.push(name); stack.push(el); }
  }
  if (names.length > 0) throw new Error(`<${names.at(-1)}> never closed`);
  return out;
}
