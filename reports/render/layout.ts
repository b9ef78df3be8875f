// The page: fonts, colours, margins and a Pen that writes flowing text, breaks pages and remembers sections
// (for the table of contents, the outline and the page footers drawn once every page exists).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { Formatters, ReportStrings, SectionTitles } from './i18n.js';

/** The document's palette. */
export const COLORS = {
  brand: '#1F3A5F', accent: '#2A9D8F', text: '#222222', muted: '#6B7280', rule: '#D1D5DB', zebra: '#F3F4F6',
  bar: '#2A6F97', previous: '#E76F51', good: '#2A9D8F', bad: '#C0392B',
  severity: { critical: '#B91C1C', high: '#EA580C', medium: '#D4A017', low: '#2A6F97', info: '#9CA3AF' },
} as const;

/** Font names registered on every document. */
export const FONT = { regular: 'Body', bold: 'Body-Bold' } as const;

const MARGIN = 50;
const HEADER_H = 28;

// The TTFs live in reports/fonts; from dist/reports/render the source tree is three levels up (tsc copies no TTF).
function fontPath(file: string): string {
  for (const rel of [`../fonts/${file}`, `../../../reports/fonts/${file}`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`report font ${file} not found next to reports/render`);
}

/** A section as placed in the document: where the table of contents points. */
export interface PlacedSection {
  key: keyof SectionTitles;
  title: string;
  /** 0-based page index. */
  page: number;
}

/** Creates the pdfkit document with embedded fonts, buffered pages and metadata. */
export function createDocument(info: { title: string; subject: string; author: string; creationDate: Date;
  language: string }): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4', bufferPages: true, autoFirstPage: true, margin: MARGIN, lang: info.language,
    displayTitle: true, compress: true,
    info: { Title: info.title, Author: info.author, Subject: info.subject, Creator: 'xpears-relay',
      Producer: 'xpears-relay (pdfkit)', CreationDate: info.creationDate, Keywords: 'informe mensual, report' },
  });
  doc.registerFont(FONT.regular, fontPath('LiberationSans-Regular.ttf'));
  doc.registerFont(FONT.bold, fontPath('LiberationSans-Bold.ttf'));
  doc.font(FONT.regular).fontSize(10).fillColor(COLORS.text);
  return doc;
}

/** Writes flowing content: keeps the cursor, breaks pages before a block that would not fit. */
export class Pen {
  readonly sections: PlacedSection[] = [];
  constructor(readonly doc: PDFKit.PDFDocument, readonly s: ReportStrings, readonly f: Formatters) {}

  get left(): number { return MARGIN; }
  get width(): number { return this.doc.page.width - 2 * MARGIN; }
  get bottom(): number { return this.doc.page.height - MARGIN - 10; }
  get y(): number { return this.doc.y; }
  set y(v: number) { this.doc.y = v; }

  /** Starts a new page below the running header. */
  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN + HEADER_H;
  }

  /** Breaks the page unless `height` points still fit. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  /** A section heading, registered for the table of contents and the PDF outline. */
  section(key: keyof SectionTitles, options: { newPage?: boolean } = {}): void {
    if (options.newPage) this.newPage();
    else this.ensure(110);
    const title = this.s.sections[key];
    const page = this.doc.bufferedPageRange().start + this.doc.bufferedPageRange().count - 1;
    this.sections.push({ key, title, page });
    this.doc.addNamedDestination(`section-${key}`, 'FitH', this.doc.page.height - this.y + 10);
    this.doc.outline.addItem(title);
    const n = this.sections.length;
    this.doc.font(FONT.bold).fontSize(16).fillColor(COLORS.brand)
      .text(`${n}. ${title}`, this.left, this.y, { width: this.width });
    const ruleY = this.y + 2;
    this.doc.moveTo(this.left, ruleY).lineTo(this.left + this.width, ruleY).lineWidth(1).strokeColor(COLORS.accent)
      .stroke();
    this.y = ruleY + 10;
    this.body();
  }

  /** A small heading inside a section. */
  subheading(text: string): void {
    this.ensure(60);
    this.doc.font(FONT.bold).fontSize(11.5).fillColor(COLORS.brand).text(text, this.left, this.y, { width: this.width });
    this.y += 4;
    this.body();
  }

  /** A paragraph of body text. */
  paragraph(text: string, options: { color?: string; size?: number } = {}): void {
    this.doc.font(FONT.regular).fontSize(options.size ?? 10);
    const h = this.doc.heightOfString(text, { width: this.width, lineGap: 2 });
    this.ensure(h);
    this.doc.fillColor(options.color ?? COLORS.text).text(text, this.left, this.y, { width: this.width, lineGap: 2 });
    this.y += 6;
  }

  /** A bullet point with a coloured marker. */
  bullet(text: string, color: string = COLORS.accent): void {
    const indent = 14;
    this.doc.font(FONT.regular).fontSize(10);
    const h = this.doc.heightOfString(text, { width: this.width - indent, lineGap: 2 });
    this.ensure(h + 4);
    this.doc.circle(this.left + 4, this.y + 5.5, 2.6).fillColor(color).fill();
    this.doc.fillColor(COLORS.text).text(text, this.left + indent, this.y, { width: this.width - indent, lineGap: 2 });
    this.y += 5;
  }

  /** Resets to the body font. */
  body(): void {
    this.doc.font(FONT.regular).fontSize(10).fillColor(COLORS.text);
  }
}

/** Cuts `text` to fit `width` in the current font with an ellipsis in the middle, keeping its start and its end
 *  (computer and threat names often differ only at the end: "EQUIPO-CONTAB…PISO-PC-003"). */
export function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const cut = (n: number) => {
    const head = Math.ceil(n * 0.6);
    return `${text.slice(0, head)}…${text.slice(text.length - (n - head))}`;
  };
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(cut(mid)) <= width) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

/** Draws the running header and the "Page N of M" footer on every page but the cover. */
export function drawPageFrames(doc: PDFKit.PDFDocument, s: ReportStrings, headerText: string, provider: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { width, height } = doc.page;
    // Writing below the bottom margin would make pdfkit add a page: lift the margin while drawing the frame.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    if (i > range.start) {
      doc.font(FONT.regular).fontSize(8).fillColor(COLORS.muted)
        .text(fit(doc, headerText, width - 2 * MARGIN), MARGIN, MARGIN - 14, { width: width - 2 * MARGIN, lineBreak: false });
      doc.moveTo(MARGIN, MARGIN).lineTo(width - MARGIN, MARGIN).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    }
    doc.moveTo(MARGIN, height - 40).lineTo(width - MARGIN, height - 40).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    doc.font(FONT.regular).fontSize(8).fillColor(COLORS.muted)
      .text(provider, MARGIN, height - 32, { width: 200, lineBreak: false })
      .text(s.page(i - range.start + 1, range.count), width - MARGIN - 150, height - 32,
        { width: 150, align: 'right', lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }
}
