// Tables that never spill: each cell is cut to its column with an ellipsis, and a page break repeats the header.
import { COLORS, FONT, fit, type Pen } from './layout.js';
import { flatLine } from '../../lib/console-text.js';

/** One column: header text, share of the available width, alignment. */
export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

const ROW_H = 15;
const HEAD_H = 17;
const PAD = 4;

function drawHeader(pen: Pen, columns: Column[], widths: number[]): void {
  const { doc } = pen;
  const top = pen.y;
  doc.rect(pen.left, top, pen.width, HEAD_H).fillColor(COLORS.brand).fill();
  doc.font(FONT.bold).fontSize(8).fillColor('#FFFFFF');
  let x = pen.left;
  columns.forEach((c, i) => {
    const w = widths[i] ?? 0;
    doc.text(fit(doc, c.header, w - 2 * PAD), x + PAD, top + 4.5, { width: w - 2 * PAD, align: c.align ?? 'left',
      lineBreak: false });
    x += w;
  });
  pen.y = top + HEAD_H;
}

/** Draws a table at the pen's cursor; `footnote` (e.g. "… and 4 more") is written under it. */
export function table(pen: Pen, columns: Column[], rows: string[][], footnote?: string): void {
  const { doc } = pen;
  const total = columns.reduce((a, c) => a + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * pen.width);
  pen.ensure(HEAD_H + ROW_H * Math.min(3, Math.max(1, rows.length)));
  drawHeader(pen, columns, widths);
  rows.forEach((row, r) => {
    if (pen.y + ROW_H > pen.bottom) {
      pen.newPage();
      drawHeader(pen, columns, widths);
    }
    const top = pen.y;
    if (r % 2 === 1) doc.rect(pen.left, top, pen.width, ROW_H).fillColor(COLORS.zebra).fill();
    doc.font(FONT.regular).fontSize(8).fillColor(COLORS.text);
    let x = pen.left;
    columns.forEach((c, i) => {
      const w = widths[i] ?? 0;
      // One line whatever a cell holds (a title stored before titles were cleaned, a feed's title): no control,
      // bidi or zero-width character, and never more than fits.
      doc.text(fit(doc, flatLine((row[i] ?? '').slice(0, 1000)), w - 2 * PAD), x + PAD, top + 3.5, { width: w - 2 * PAD,
        align: c.align ?? 'left', lineBreak: false });
      x += w;
    });
    pen.y = top + ROW_H;
  });
  doc.moveTo(pen.left, pen.y).lineTo(pen.left + pen.width, pen.y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
  pen.y += 4;
  if (footnote) {
    doc.font(FONT.regular).fontSize(8).fillColor(COLORS.muted).text(footnote, pen.left, pen.y, { width: pen.width });
    pen.y += 2;
  }
  pen.y += 8;
  pen.body();
}

/** Key figures side by side: a row of cards with a big number and a caption. */
export function cards(pen: Pen, items: { caption: string; value: string; note?: string; color?: string }[]): void {
  const { doc } = pen;
  const gap = 8;
  const h = 58;
  pen.ensure(h + 10);
  const w = (pen.width - gap * (items.length - 1)) / items.length;
  const top = pen.y;
  items.forEach((item, i) => {
    const x = pen.left + i * (w + gap);
    doc.roundedRect(x, top, w, h, 4).fillColor(COLORS.zebra).fill();
    doc.rect(x, top, 3, h).fillColor(item.color ?? COLORS.accent).fill();
    doc.font(FONT.bold).fontSize(17).fillColor(item.color ?? COLORS.brand)
      .text(fit(doc, item.value, w - 14), x + 9, top + 8, { width: w - 14, lineBreak: false });
    doc.font(FONT.regular).fontSize(8).fillColor(COLORS.text)
      .text(fit(doc, item.caption, w - 14), x + 9, top + 31, { width: w - 14, lineBreak: false });
    if (item.note) {
      doc.fontSize(7).fillColor(COLORS.muted).text(fit(doc, item.note, w - 14), x + 9, top + 43,
        { width: w - 14, lineBreak: false });
    }
  });
  pen.y = top + h + 12;
  pen.body();
}
