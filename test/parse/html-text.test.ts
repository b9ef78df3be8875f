import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../collector/parse/html-text.js';

describe('htmlToText', () => {
  it('drops head, style, script and comments, and keeps blocks as lines', () => {
    const html =
      '<html><head><title>t</title><style>p{color:red}</style></head><body><!-- hidden --><h1>Alerta</h1>' +
      '<p>Primera<br>Segunda</p><script>document.write("x")</script><div>Tercera</div></body></html>';
    expect(htmlToText(html)).toBe('Alerta\nPrimera\nSegunda\nTercera');
  });

  it('turns table rows into lines and cells into tab-separated columns', () => {
    const html = '<table><tr><th>Equipo</th><th>Hora</th></tr><tr><td> pc-01 </td><td>20/11/26, 11:00:00</td></tr></table>';
    expect(htmlToText(html)).toBe('Equipo\tHora\npc-01\t20/11/26, 11:00:00');
  });

  it('skips empty cells so columns do not shift into blanks', () => {
    expect(htmlToText('<tr><td>a</td><td></td><td>b</td></tr>')).toBe('a\tb');
  });

  it('decodes entities in text and keeps a lone "<" as text', () => {
    expect(htmlToText('<p>Detecci&oacute;n &amp; acci&#243;n &#x2013; 3 &lt; 5 and 2 < 4</p>')).toBe('Detección & acción – 3 < 5 and 2 < 4');
  });

  it('collapses whitespace and non-breaking spaces', () => {
    expect(htmlToText('<p>  uno&nbsp;&nbsp;\n\n  dos  </p>')).toBe('uno dos');
  });

  it('survives an unterminated tag and an unterminated comment', () => {
    expect(htmlToText('<p>ok</p><div class="x')).toBe('ok');
    expect(htmlToText('<p>ok</p><!-- never closed <p>hidden</p>')).toBe('ok');
  });

  it('does not leak the content of an unclosed script', () => {
    expect(htmlToText('<p>visible</p><script>var secret = 1;')).toBe('visible');
  });

  it('handles a large hostile input in linear time without throwing', () => {
    const hostile = '<script'.repeat(20_000) + '<'.repeat(20_000) + '&#99999999;'.repeat(1000);
    expect(() => htmlToText(hostile)).not.toThrow();
  });
});

describe('decodeEntities', () => {
  it('leaves unknown and out-of-range references as written', () => {
    expect(decodeEntities('&bogus; &#1114112; &#xD800;')).toBe('&bogus; &#1114112; &#xD800;');
  });

  it('decodes Spanish letters and punctuation', () => {
    expect(decodeEntities('&iquest;&Ntilde;o&ntilde;o&quest;')).toBe('¿Ñoño&quest;');
  });
});
