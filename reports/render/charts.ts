// Vector charts drawn with pdfkit's own paths: a daily bar chart with a reference line, and labelled horizontal bars.
// No chart library: the charts are few and simple, pdfkit draws them crisp at any zoom, and the text inside them uses
// the same embedded font, so pdftotext can read the figures back.
import { COLORS, FONT, fit } from './layout.js';

/** A rectangle on the page. */
export interface Box { x: number; y: number; w: number; h: number }

/** One horizontal bar. */
export interface BarItem { label: string; value: number; color?: string }

/** A "nice" axis step (1, 2 or 5 times a power of ten) so that about `ticks` steps cover `max`. */
export function niceStep(max: number, ticks = 4): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  return Math.max(1, step);
}

/** Bars per day of the month, with a y-axis, light grid, day labels and an optional dashed reference line. */
export function dailyBars(doc: PDFKit.PDFDocument, box: Box, values: number[],
  opts: { int: (n: number) => string; num: (n: number, digits: number) => string; reference?: number;
    referenceLabel?: string }): void {
  const axisW = 34;
  const labelH = 14;
  const plot = { x: box.x + axisW, y: box.y, w: box.w - axisW, h: box.h - labelH };
  const max = Math.max(1, ...values, opts.reference ?? 0);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const yOf = (v: number) => plot.y + plot.h - (v / top) * plot.h;

  doc.font(FONT.regular).fontSize(7).lineWidth(0.5);
  for (let v = 0; v <= top; v += step) {
    const y = yOf(v);
    doc.moveTo(plot.x, y).lineTo(plot.x + plot.w, y).strokeColor(COLORS.rule).stroke();
    doc.fillColor(COLORS.muted).text(opts.int(v), box.x, y - 3.5, { width: axisW - 5, align: 'right', lineBreak: false });
  }
  const slot = plot.w / Math.max(1, values.length);
  const barW = Math.max(1, slot * 0.72);
  values.forEach((v, i) => {
    const x = plot.x + i * slot + (slot - barW) / 2;
    if (v > 0) doc.rect(x, yOf(v), barW, plot.y + plot.h - yOf(v)).fillColor(COLORS.bar).fill();
    const day = i + 1;
    if (day === 1 || day % 5 === 0 || day === values.length) {
      doc.fillColor(COLORS.muted).text(String(day), x - 6, plot.y + plot.h + 4,
        { width: barW + 12, align: 'center', lineBreak: false });
    }
  });
  doc.moveTo(plot.x, plot.y + plot.h).lineTo(plot.x + plot.w, plot.y + plot.h).strokeColor(COLORS.muted).stroke();
  if (opts.reference !== undefined && opts.reference > 0) {
    const y = yOf(opts.reference);
    doc.save().moveTo(plot.x, y).lineTo(plot.x + plot.w, y).lineWidth(1).dash(4, { space: 3 })
      .strokeColor(COLORS.previous).stroke().undash().restore();
    if (opts.referenceLabel) {
      // Legend above the plot, right-aligned, so it never covers a bar.
      const label = `${opts.referenceLabel}: ${opts.num(opts.reference, 1)}`;
      doc.font(FONT.regular).fontSize(7.5);
      const w = doc.widthOfString(label);
      const lx = plot.x + plot.w - w;
      doc.save().moveTo(lx - 22, box.y - 9).lineTo(lx - 4, box.y - 9).lineWidth(1).dash(4, { space: 3 })
        .strokeColor(COLORS.previous).stroke().undash().restore();
      doc.fillColor(COLORS.previous).text(label, lx, box.y - 12.5, { width: w + 2, lineBreak: false });
    }
  }
  doc.fillColor(COLORS.text);
}

/** Horizontal bars with the label on the left and the value after the bar; returns the height used. */
export function horizontalBars(doc: PDFKit.PDFDocument, x: number, y: number, w: number, items: BarItem[],
  opts: { int: (n: number) => string; labelWidth?: number; rowHeight?: number }): number {
  const labelW = opts.labelWidth ?? 120;
  const rowH = opts.rowHeight ?? 15;
  const valueW = 40;
  const barArea = w - labelW - valueW - 6;
  const max = Math.max(1, ...items.map((i) => i.value));
  doc.font(FONT.regular).fontSize(8.5);
  items.forEach((item, i) => {
    const rowY = y + i * rowH;
    doc.fillColor(COLORS.text).text(fit(doc, item.label, labelW - 6), x, rowY + 2, { width: labelW - 6, lineBreak: false });
    const barW = item.value > 0 ? Math.max(1.5, (item.value / max) * barArea) : 0;
    if (barW > 0) doc.rect(x + labelW, rowY + 1.5, barW, rowH - 5).fillColor(item.color ?? COLORS.bar).fill();
    doc.fillColor(COLORS.muted).text(opts.int(item.value), x + labelW + barW + 4, rowY + 2,
      { width: valueW, lineBreak: false });
  });
  doc.fillColor(COLORS.text);
  return items.length * rowH;
}

/** The provider's logo mark: a shield with a stylised X, drawn as vectors at (x, y) with the given height. */
export function logoMark(doc: PDFKit.PDFDocument, x: number, y: number, size: number): void {
  const w = size * 0.82;
  doc.save();
  doc.moveTo(x + w / 2, y)
    .lineTo(x + w, y + size * 0.14)
    .bezierCurveTo(x + w, y + size * 0.62, x + w * 0.78, y + size * 0.86, x + w / 2, y + size)
    .bezierCurveTo(x + w * 0.22, y + size * 0.86, x, y + size * 0.62, x, y + size * 0.14)
    .closePath().fillColor(COLORS.brand).fill();
  const p = size * 0.26;
  doc.lineWidth(size * 0.1).lineCap('round').strokeColor('#FFFFFF')
    .moveTo(x + p, y + p).lineTo(x + w - p, y + size - p * 1.35).stroke();
  doc.strokeColor(COLORS.accent)
    .moveTo(x + w - p, y + p).lineTo(x + p, y + size - p * 1.35).stroke();
  doc.restore();
}
