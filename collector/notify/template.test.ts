import { describe, expect, it } from 'vitest';
import { XpearsError } from '../../lib/errors.js';
import { defineTemplate, getTemplate, listTemplates, registerTemplates } from './template.js';
import type { TemplateSource } from './types.js';

const ticketOpened: TemplateSource = {
  id: 'test/ticket-opened',
  variables: ['ticket.number', 'ticket.title', 'computers', 'assignee'],
  es: {
    subject: 'Caso {{ticket.number}}: {{ticket.title}}',
    text: [
      'Se abrió el caso {{ticket.number}}.',
      '{{#each computers}}',
      '- {{name}} ({{this.ip}}) caso {{ticket.number}}',
      '{{else}}',
      'Sin equipos.',
      '{{/each}}',
      '{{#if assignee}}',
      'Asignado a {{assignee}}.',
      '{{else}}',
      'Sin asignar.',
      '{{/if}}',
    ].join('\n'),
    html: '<p>Caso {{ticket.number}}: {{ticket.title}}</p>{{#each computers}}<li>{{name}}</li>{{/each}}{{#if assignee}}{{assignee}}{{/if}}',
  },
  en: {
    subject: 'Case {{ticket.number}}: {{ticket.title}}',
    text: 'Case {{ticket.number}} opened.{{#each computers}} {{name}}{{/each}}{{#if assignee}} for {{assignee}}{{/if}}',
    html: '<p>Case {{ticket.number}}: {{ticket.title}}</p>{{#each computers}}<li>{{name}}</li>{{/each}}{{#if assignee}}{{assignee}}{{/if}}',
  },
};

const data = {
  ticket: { number: 'XP-42', title: 'Ransomware <detected> & "blocked"' },
  computers: [{ name: 'srv-01', ip: '10.0.0.1' }, { name: 'pc-07', ip: '10.0.0.7' }],
  assignee: 'Ana',
};

function defineError(source: TemplateSource): XpearsError {
  try {
    defineTemplate(source);
  } catch (err) {
    if (err instanceof XpearsError) return err;
    throw err;
  }
  throw new Error('defineTemplate did not throw');
}

describe('defineTemplate and render', () => {
  it('renders the language asked for, with lists, ifs and block lines removed', () => {
    const t = defineTemplate(ticketOpened);
    const es = t.render('es', data);
    expect(es.subject).toBe('Caso XP-42: Ransomware <detected> & "blocked"');
    expect(es.text).toBe(
      'Se abrió el caso XP-42.\n- srv-01 (10.0.0.1) caso XP-42\n- pc-07 (10.0.0.7) caso XP-42\nAsignado a Ana.\n',
    );
    expect(t.render('en', data).subject).toBe('Case XP-42: Ransomware <detected> & "blocked"');
    expect(t.render('en', data).text).toBe('Case XP-42 opened. srv-01 pc-07 for Ana');
  });

  it('escapes values in html but not in text', () => {
    const html = defineTemplate(ticketOpened).render('es', data).html;
    expect(html).toContain('Ransomware &lt;detected&gt; &amp; &quot;blocked&quot;');
    expect(html).toContain('<li>srv-01</li><li>pc-07</li>');
  });

  it('takes the else branches for an empty list and an absent optional value', () => {
    const es = defineTemplate(ticketOpened).render('es', { ...data, computers: [], assignee: undefined });
    expect(es.text).toBe('Se abrió el caso XP-42.\nSin equipos.\nSin asignar.\n');
  });

  it('keeps a newline in the data out of the subject line', () => {
    const es = defineTemplate(ticketOpened).render('es', { ...data, ticket: { number: 'XP-1', title: 'a\r\nBcc: x@y' } });
    expect(es.subject).toBe('Caso XP-1: a Bcc: x@y');
  });

  it('carries no control character or bidi/zero-width formatting of the data into subject, text or html', () => {
    const title = 'a\u202Eb\u200Bc\u0007d\u009Be\rf\u2028g <i>';
    const es = defineTemplate(ticketOpened).render('es', { ...data, ticket: { number: 'XP-1', title } });
    expect(es.subject).toBe('Caso XP-1: abc d e f g <i>');
    expect(es.html).toContain('<p>Caso XP-1: abc d e\nf\ng &lt;i&gt;</p>');
  });

  it('throws at render when a declared variable is missing, never a blank', () => {
    const t = defineTemplate(ticketOpened);
    expect(() => t.render('es', { ...data, ticket: { number: 'XP-1' } })).toThrow(/ticket\.title.*missing/);
    expect(() => t.render('es', { ...data, computers: undefined })).toThrow(/computers/);
    expect(() => t.render('es', { ...data, computers: [{ ip: '1.1.1.1' }] })).toThrow(/\{\{name\}\}/);
    expect(() => t.render('es', { ...data, ticket: { number: null, title: 'x' } })).toThrow(/null/);
    expect(() => t.render('es', { ...data, ticket: { number: { a: 1 }, title: 'x' } })).toThrow(/object/);
  });
});

describe('defineTemplate rejects', () => {
  it('an undeclared placeholder, naming template, language and placeholder', () => {
    const err = defineError({ ...ticketOpened, en: { ...ticketOpened.en, text: 'Case {{ticket.nubmer}} {{computers}} {{assignee}} {{ticket.title}}' } });
    expect(err.code).toBe('TEMPLATE_INVALID');
    expect(err.message).toContain('test/ticket-opened (en)');
    expect(err.message).toContain('{{ticket.nubmer}}');
  });

  it('an undeclared list name or if-path', () => {
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, text: '{{#each hosts}}{{name}}{{/each}}' } }).message).toContain('{{hosts}}');
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, subject: '{{#if urgent}}!{{/if}}' } }).message).toContain('{{urgent}}');
  });

  it('a declared variable one language forgets', () => {
    const text = 'Case {{ticket.number}} {{ticket.title}} {{#each computers}}{{name}}{{/each}}';
    const err = defineError({ ...ticketOpened, en: { subject: ticketOpened.en.subject, text, html: text } });
    expect(err.message).toMatch(/\(en\).*"assignee" is never used/);
  });

  it('unbalanced or mismatched blocks', () => {
    const base = ticketOpened.es.text;
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, text: base + '{{#if assignee}}' } }).message).toMatch(/never closed/);
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, text: base + '{{/each}}' } }).message).toMatch(/closes no open block/);
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, text: '{{#each computers}}{{/if}}' + base } }).message).toMatch(/closes \{\{#each computers\}\}/);
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, text: base + '{{else}}' } }).message).toMatch(/outside a block/);
  });

  it('a stray brace pair, a bad path, and this outside a list', () => {
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, subject: 'Caso {{ticket.number} {{ticket.title}}' } }).message).toMatch(/stray/);
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, subject: '{{ticket number}}' } }).message).toMatch(/not a path/);
    expect(defineError({ ...ticketOpened, es: { ...ticketOpened.es, subject: '{{this.x}}' } }).message).toMatch(/inside \{\{#each\}\}/);
  });

  it('an html part in one language only', () => {
    expect(defineError({ ...ticketOpened, en: { subject: ticketOpened.en.subject, text: ticketOpened.en.text } }).message).toMatch(/html/);
  });
});

describe('template registry', () => {
  it('returns registered templates and refuses an id used twice', () => {
    const a = defineTemplate({ id: 'test/registry-a', variables: [], es: { subject: 'hola', text: 'hola' }, en: { subject: 'hi', text: 'hi' } });
    registerTemplates([a]);
    registerTemplates([a]);
    expect(getTemplate('test/registry-a')).toBe(a);
    expect(listTemplates().map((t) => t.id)).toContain('test/registry-a');
    const other = defineTemplate({ id: 'test/registry-a', variables: [], es: { subject: 'x', text: 'x' }, en: { subject: 'x', text: 'x' } });
    expect(() => registerTemplates([other])).toThrow(/two different templates/);
    expect(() => getTemplate('test/nope')).toThrow(XpearsError);
  });
});
