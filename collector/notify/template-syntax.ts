// The template language's parser: `{{path}}`, `{{#each list}}…{{else}}…{{/each}}`, `{{#if path}}…{{else}}…{{/if}}`.
// Pure: text in, tree out; errors name the offending tag so defineTemplate can report it with the template's id.

/** One node of a parsed template text. */
export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string }
  | { kind: 'each'; path: string; body: TemplateNode[]; otherwise: TemplateNode[] }
  | { kind: 'if'; path: string; body: TemplateNode[]; otherwise: TemplateNode[] };

/** A syntax error in one template text; the caller adds the template id and language. */
export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly placeholder: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'tag'; tag: string; type: 'value' | 'open' | 'else' | 'close'; block?: 'each' | 'if'; path?: string };

const TAG = /\{\{([^{}]*)\}\}/g;
// `this`, `this.field`, `ticket.number`: letters, digits, _ and - in each segment, no leading digit.
const PATH = /^(?:this|[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*)*$/;

function classify(raw: string): Token {
  const inner = raw.slice(2, -2).trim();
  const tag = raw;
  if (inner === 'else') return { kind: 'tag', tag, type: 'else' };
  const open = /^#(each|if)\s+(\S+)$/.exec(inner);
  if (open) {
    const path = open[2] ?? '';
    if (!PATH.test(path)) throw new TemplateSyntaxError(`the block ${tag} names no valid path`, tag);
    return { kind: 'tag', tag, type: 'open', block: open[1] as 'each' | 'if', path };
  }
  const close = /^\/(each|if)$/.exec(inner);
  if (close) return { kind: 'tag', tag, type: 'close', block: close[1] as 'each' | 'if' };
  if (!PATH.test(inner)) throw new TemplateSyntaxError(`the placeholder ${tag} is not a path or a known block`, tag);
  return { kind: 'tag', tag, type: 'value', path: inner };
}

// A block tag alone on its line takes the line with it, so plain-text mails have no blank lines where blocks were.
const STANDALONE = /^[ \t]*(\{\{\s*(?:#each|#if|else|\/each|\/if)\b[^{}]*\}\})[ \t]*(?:\r?\n|$)/gm;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const text = source.replace(STANDALONE, '$1');
  for (const m of text.matchAll(TAG)) {
    const at = m.index;
    if (at > last) tokens.push({ kind: 'text', text: text.slice(last, at) });
    tokens.push(classify(m[0]));
    last = at + m[0].length;
  }
  if (last < text.length) tokens.push({ kind: 'text', text: text.slice(last) });
  for (const t of tokens) {
    // A `{{` or `}}` left in text is a placeholder someone mistyped: it would reach the reader verbatim.
    if (t.kind === 'text' && (t.text.includes('{{') || t.text.includes('}}'))) {
      const near = t.text.slice(Math.max(0, t.text.search(/\{\{|\}\}/) - 10)).slice(0, 30);
      throw new TemplateSyntaxError(`an unclosed or stray placeholder near "${near}"`, near);
    }
  }
  return tokens;
}

interface Frame {
  node: Extract<TemplateNode, { kind: 'each' | 'if' }>;
  tag: string;
  inElse: boolean;
}

/** Parses one template text into its tree; throws TemplateSyntaxError on an unbalanced or unknown tag. */
export function parseTemplate(source: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: Frame[] = [];
  const target = (): TemplateNode[] => {
    const top = stack[stack.length - 1];
    if (!top) return root;
    return top.inElse ? top.node.otherwise : top.node.body;
  };
  for (const t of tokenize(source)) {
    if (t.kind === 'text') {
      target().push({ kind: 'text', text: t.text });
    } else if (t.type === 'value') {
      target().push({ kind: 'value', path: t.path ?? '' });
    } else if (t.type === 'open') {
      const node = { kind: t.block ?? 'if', path: t.path ?? '', body: [], otherwise: [] } as Frame['node'];
      target().push(node);
      stack.push({ node, tag: t.tag, inElse: false });
    } else if (t.type === 'else') {
      const top = stack[stack.length - 1];
      if (!top || top.inElse) throw new TemplateSyntaxError(`${t.tag} outside a block, or twice in one block`, t.tag);
      top.inElse = true;
    } else {
      const top = stack.pop();
      if (!top) throw new TemplateSyntaxError(`${t.tag} closes no open block`, t.tag);
      if (top.node.kind !== t.block) throw new TemplateSyntaxError(`${t.tag} closes ${top.tag}`, t.tag);
    }
  }
  const open = stack.pop();
  if (open) throw new TemplateSyntaxError(`${open.tag} is never closed`, open.tag);
  return root;
}
