// Message templates: checked when defined (so a typo fails at start-up), rendered strictly (never a blank).
import { LANGUAGES as ALL_LANGUAGES } from '../../lib/people.js';
import { XpearsError } from '../../lib/errors.js';
import type { Language, RenderedMessage, TemplateSource } from './types.js';
import { parseTemplate, TemplateSyntaxError, type TemplateNode } from './template-syntax.js';
import { flatLine, withoutControls } from '../../lib/console-text.js';

/** A checked template: render it in the reader's language with the data its variables name. */
export interface Template {
  readonly id: string;
  readonly variables: readonly string[];
  render(language: Language, data: Record<string, unknown>): RenderedMessage;
}

type Part = 'subject' | 'text' | 'html';
type Parsed = Record<Language, Partial<Record<Part, TemplateNode[]>>>;
const LANGUAGES: readonly Language[] = ALL_LANGUAGES;
const PARTS: readonly Part[] = ['subject', 'text', 'html'];

function invalid(id: string, language: Language | null, message: string, placeholder?: string): XpearsError {
  const where = language ? `template ${id} (${language})` : `template ${id}`;
  return new XpearsError('TEMPLATE_INVALID', `${where}: ${message}`, { template: id, language, placeholder });
}

// Walks a tree and records the declared variables it uses; throws on an undeclared one outside an each-block.
function collectUses(nodes: TemplateNode[], declared: ReadonlySet<string>, depth: number, used: Set<string>, fail: (m: string, p: string) => never): void {
  for (const node of nodes) {
    if (node.kind === 'text') continue;
    const isItemPath = node.path === 'this' || node.path.startsWith('this.');
    if (declared.has(node.path)) used.add(node.path);
    else if (depth === 0 && isItemPath) fail(`{{${node.path}}} is only meaningful inside {{#each}}`, node.path);
    // Inside an each-block a name that is not declared is a field of the item: checked when rendered.
    else if (depth === 0) fail(`the placeholder {{${node.path}}} is not among the declared variables`, node.path);
    if (node.kind === 'each') {
      collectUses(node.body, declared, depth + 1, used, fail);
      collectUses(node.otherwise, declared, depth, used, fail);
    } else if (node.kind === 'if') {
      collectUses(node.body, declared, depth, used, fail);
      collectUses(node.otherwise, declared, depth, used, fail);
    }
  }
}

/** Checks a template source and returns the template; throws XpearsError('TEMPLATE_INVALID') naming what is wrong. */
export function defineTemplate(source: TemplateSource): Template {
  const { id } = source;
  const declared = new Set(source.variables);
  if (declared.size !== source.variables.length) throw invalid(id, null, 'a variable is declared twice');
  const parsed: Parsed = { es: {}, en: {} };
  const usedBy: Record<Language, Set<string>> = { es: new Set(), en: new Set() };
  for (const language of LANGUAGES) {
    const texts = source[language];
    if (!texts || typeof texts.subject !== 'string' || typeof texts.text !== 'string') {
      throw invalid(id, language, 'a subject and a text are required');
    }
    for (const part of PARTS) {
      const text = texts[part];
      if (text === undefined) continue;
      const fail = (m: string, p: string): never => { throw invalid(id, language, `${part}: ${m}`, p); };
      try {
        parsed[language][part] = parseTemplate(text);
      } catch (err) {
        if (err instanceof TemplateSyntaxError) fail(err.message, err.placeholder);
        throw err;
      }
      collectUses(parsed[language][part] ?? [], declared, 0, usedBy[language], fail);
    }
  }
  // A variable one language uses and the other forgets is a translation that drifted; one nobody uses is a typo.
  for (const variable of source.variables) {
    for (const language of LANGUAGES) {
      if (!usedBy[language].has(variable)) {
        throw invalid(id, language, `the declared variable "${variable}" is never used`, variable);
      }
    }
  }
  if ((source.es.html === undefined) !== (source.en.html === undefined)) {
    throw invalid(id, null, 'an html part must be given in both languages or in neither');
  }
  const variables = Object.freeze([...source.variables]);
  return Object.freeze({
    id,
    variables,
    render(language: Language, data: Record<string, unknown>): RenderedMessage {
      const tree = parsed[language];
      if (!tree) throw invalid(id, null, `no text in language "${String(language)}"`);
      const ctx: RenderContext = { id, language, declared, data, items: [] };
      // A subject is one header line: a newline in the data must not start another header, nor a control or a
      // bidi override hide or reorder what it says.
      const subject = flatLine(renderNodes(tree.subject ?? [], ctx, false));
      const out: RenderedMessage = { subject, text: renderNodes(tree.text ?? [], ctx, false) };
      if (tree.html) out.html = renderNodes(tree.html, ctx, true);
      return out;
    },
  });
}

interface RenderContext {
  id: string;
  language: Language;
  declared: ReadonlySet<string>;
  data: Record<string, unknown>;
  /** The items of the enclosing each-blocks, innermost last. */
  items: unknown[];
}

const MISSING = Symbol('missing');

function lookup(root: unknown, segments: string[]): unknown {
  let value: unknown = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return MISSING;
    value = (value as Record<string, unknown>)[segment];
  }
  return value === undefined ? MISSING : value;
}

// Inside each: `this.x` is the item's; a field the item has wins; then a declared variable; outside: the data.
function resolve(path: string, ctx: RenderContext): unknown {
  const segments = path.split('.');
  const item = ctx.items[ctx.items.length - 1];
  if (segments[0] === 'this') return ctx.items.length === 0 ? MISSING : lookup(item, segments.slice(1));
  if (ctx.items.length > 0 && item !== null && typeof item === 'object' && Object.hasOwn(item, segments[0] ?? '')) {
    return lookup(item, segments);
  }
  if (ctx.declared.has(path)) return lookup(ctx.data, segments);
  return MISSING;
}

function missing(ctx: RenderContext, path: string, why: string): XpearsError {
  return invalid(ctx.id, ctx.language, `{{${path}}} ${why}`, path);
}

// A value's text never carries a control character (but newline and tab) or invisible formatting into a message.
function format(value: unknown, path: string, ctx: RenderContext): string {
  if (typeof value === 'string') return withoutControls(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  if (value === null) throw missing(ctx, path, 'is null in the data: a message never shows a blank');
  throw missing(ctx, path, 'is an object: name one of its fields');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML body or attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function truthy(value: unknown): boolean {
  if (value === MISSING) return false;
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function renderNodes(nodes: TemplateNode[], ctx: RenderContext, html: boolean): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
    } else if (node.kind === 'value') {
      const value = resolve(node.path, ctx);
      if (value === MISSING) throw missing(ctx, node.path, 'is missing from the data: a message never shows a blank');
      const text = format(value, node.path, ctx);
      out += html ? escapeHtml(text) : text;
    } else if (node.kind === 'if') {
      // An absent value is how a caller says "optional and not there": the if-block is where that is allowed.
      out += renderNodes(truthy(resolve(node.path, ctx)) ? node.body : node.otherwise, ctx, html);
    } else {
      const list = resolve(node.path, ctx);
      if (list === MISSING) throw missing(ctx, node.path, 'is missing from the data: the list must be given, even empty');
      if (!Array.isArray(list)) throw missing(ctx, node.path, 'is not a list');
      if (list.length === 0) out += renderNodes(node.otherwise, ctx, html);
      for (const item of list) out += renderNodes(node.body, { ...ctx, items: [...ctx.items, item] }, html);
    }
  }
  return out;
}

const registry = new Map<string, Template>();

/** Registers templates so the collector can list and check them all at start-up; an id taken by another throws. */
export function registerTemplates(templates: Iterable<Template>): void {
  for (const template of templates) {
    const existing = registry.get(template.id);
    if (existing && existing !== template) {
      throw invalid(template.id, null, 'two different templates use this id');
    }
    registry.set(template.id, template);
  }
}

/** The registered template with that id; throws TEMPLATE_INVALID when none is, so a wrong id fails loudly. */
export function getTemplate(id: string): Template {
  const template = registry.get(id);
  if (!template) throw invalid(id, null, 'no template is registered with this id');
  return template;
}

/** Every registered template, by id: for the start-up check and `xpears … status`. */
export function listTemplates(): Template[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));
}
