// The cover page (identity, customer, period, plan) with room for the table of contents, filled in at the end.
import type { MonthlyReportData } from '../model.js';
import type { ReportStrings } from './i18n.js';
import { logoMark } from './charts.js';
import { COLORS, FONT, type Pen, type PlacedSection } from './layout.js';

/** Capitalises the first letter: "octubre de 2026" → "Octubre de 2026" for titles. */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** "octubre de 2026" for a month of the data, in the report's language. */
export function monthLabelOf(s: ReportStrings, month: { year: number; month: number }): string {
  return s.monthLabel(s.months[month.month - 1] ?? String(month.month), month.year);
}

/** Draws the cover; returns the y where the table of contents starts. */
export function drawCover(pen: Pen, data: MonthlyReportData, provider: string): number {
  const { doc, s, f } = pen;
  const pageW = doc.page.width;
  doc.rect(0, 0, pageW, 150).fillColor(COLORS.brand).fill();
  doc.rect(0, 150, pageW, 5).fillColor(COLORS.accent).fill();
  // The mark is navy: a white tile behind it keeps it visible on the navy band.
  doc.roundedRect(pen.left - 2, 40, 60, 68, 8).fillColor('#FFFFFF').fill();
  logoMark(doc, pen.left + 4, 46, 56);
  doc.font(FONT.bold).fontSize(24).fillColor('#FFFFFF').text(provider, pen.left + 72, 56, { lineBreak: false });
  doc.font(FONT.regular).fontSize(10.5).fillColor('#D6E4F0').text(s.coverSubtitle, pen.left + 72, 88,
    { lineBreak: false });

  doc.font(FONT.bold).fontSize(28).fillColor(COLORS.brand).text(s.coverTitle, pen.left, 200, { width: pen.width });
  const label = capitalize(monthLabelOf(s, data.current.month));
  doc.font(FONT.regular).fontSize(20).fillColor(COLORS.accent).text(label, pen.left, 240, { width: pen.width });

  const m = data.current.month;
  const lastDay = `${m.key}-${String(m.daysInMonth).padStart(2, '0')}`;
  const rows: [string, string][] = [
    [s.customer, data.customer.name],
    [s.period, `${f.date(`${m.key}-01`)} – ${f.date(lastDay)} (${m.zone})`],
    [s.plan, data.customer.planName],
    [s.preparedBy, provider],
    [s.generatedOn, f.date(data.generatedAt.slice(0, 10))],
  ];
  let y = 300;
  for (const [k, v] of rows) {
    doc.font(FONT.regular).fontSize(10).fillColor(COLORS.muted).text(k, pen.left, y, { width: 130, lineBreak: false });
    doc.font(FONT.bold).fontSize(11).fillColor(COLORS.text).text(v, pen.left + 130, y - 1, { width: pen.width - 130 });
    y = Math.max(y + 22, doc.y + 8);
  }
  return y + 30;
}

/** Writes the table of contents on the cover, with dotted leaders, page numbers and links to each section. */
export function drawContents(pen: Pen, y: number, sections: PlacedSection[]): void {
  const { doc, s } = pen;
  doc.switchToPage(0);
  doc.font(FONT.bold).fontSize(13).fillColor(COLORS.brand).text(s.contents, pen.left, y, { lineBreak: false });
  doc.moveTo(pen.left, y + 19).lineTo(pen.left + pen.width, y + 19).lineWidth(0.8).strokeColor(COLORS.accent).stroke();
  let rowY = y + 28;
  sections.forEach((sec, i) => {
    const title = `${i + 1}. ${sec.title}`;
    const pageText = String(sec.page + 1);
    doc.font(FONT.regular).fontSize(10.5).fillColor(COLORS.text);
    const titleW = doc.widthOfString(title);
    const numW = doc.widthOfString(pageText);
    doc.text(title, pen.left, rowY, { lineBreak: false });
    doc.goTo(pen.left, rowY, pen.width, 14, `section-${sec.key}`);
    const dotsFrom = pen.left + titleW + 6;
    const dotsTo = pen.left + pen.width - numW - 6;
    doc.save().moveTo(dotsFrom, rowY + 9).lineTo(dotsTo, rowY + 9).lineWidth(0.7).dash(1, { space: 2.5 })
      .strokeColor(COLORS.muted).stroke().undash().restore();
    doc.fillColor(COLORS.text).text(pageText, pen.left + pen.width - numW, rowY, { lineBreak: false });
    rowY += 19;
  });
}
