// The CLI's printing never hands a terminal a control or invisible formatting character (issue 13).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardTerminal, printList, printRecord } from '../../bin/output.js';

const NAME = 'PC-07\r\n\x1b[2J\u202Eexe.pdf\u200B\u0085';
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

describe('CLI output', () => {
  it('prints table cells and records with every control shown as an escape, one line per row', () => {
    const lines: string[] = [];
    printList([{ name: NAME }], [{ header: 'COMPUTER', value: (r) => r.name }], {}, (s) => lines.push(s));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('PC-07\\r\\n\\u001b[2J\\u202eexe.pdf\\u200b\\u0085');
    const record: string[] = [];
    printRecord({ name: NAME }, {}, (s) => record.push(s));
    expect(record).toEqual(['name: PC-07\\r\\n\\u001b[2J\\u202eexe.pdf\\u200b\\u0085']);
  });

  it('prints JSON that is still JSON and still the same data, without a raw control or bidi character', () => {
    const out: string[] = [];
    printList([{ name: NAME }], [], { json: true }, (s) => out.push(s));
    expect(out[0]).not.toMatch(UNSAFE);
    expect(JSON.parse(out[0]!)).toEqual([{ name: NAME }]);
  });

  it('guards a whole stream: any string written through it arrives escaped, a leading carriage return kept', () => {
    const stream = new PassThrough();
    let seen = '';
    stream.on('data', (b: Buffer) => { seen += b.toString(); });
    guardTerminal(stream as unknown as NodeJS.WriteStream);
    guardTerminal(stream as unknown as NodeJS.WriteStream);
    stream.write(`${NAME}\n`);
    stream.write('\r[####    ] 4/8 ok\u202E');
    expect(seen).toBe('PC-07\\r\n\\u001b[2J\\u202eexe.pdf\\u200b\\u0085\n\r[####    ] 4/8 ok\\u202e');
  });
});
