// The monthly report as a PDF: cover with contents, summary, detail sections, then headers, footers and the
// table of contents once every page exists. Same data and generatedAt → the same bytes.
import type { MonthlyReportData } from '../model.js';
import { capitalize, drawContents, drawCover, monthLabelOf } from './cover.js';
import { formattersFor } from './format.js';
import { stringsFor } from './i18n.js';
import { createDocument, drawPageFrames, Pen } from './layout.js';
import {
  drawAdvisories, drawComputers, drawEvents, drawOperations, drawRecommendations, drawThreats, drawTickets,
} from './sections.js';
import { drawSummary } from './summary.js';

/** The provider named on the cover and as the document's author. */
export const PROVIDER_NAME = 'Xpears Services';

/** Rendering options. */
export interface RenderOptions {
  provider?: string;
}

/** Renders one customer-month to PDF bytes. */
export async function renderMonthlyReport(data: MonthlyReportData, options: RenderOptions = {}): Promise<Buffer> {
  const provider = options.provider ?? PROVIDER_NAME;
  const s = stringsFor(data.language);
  const f = formattersFor(data.language, data.customer.timezone);
  const label = capitalize(monthLabelOf(s, data.current.month));
  const doc = createDocument({
    title: s.docTitle(data.customer.name, label), subject: s.docSubject, author: provider,
    creationDate: new Date(data.generatedAt), language: data.language === 'en' ? 'en-GB' : 'es-AR',
  });
  const done = collect(doc);
  const pen = new Pen(doc, s, f);

  const contentsY = drawCover(pen, data, provider);
  drawSummary(pen, data);
  if (data.current.notifications > 0) {
    drawEvents(pen, data);
    drawThreats(pen, data);
    drawComputers(pen, data);
  }
  // A quiet month stays short: support cases and advisories appear only when there is something to say.
  const quiet = data.current.notifications === 0;
  if (!quiet || data.current.tickets.opened > 0) drawTickets(pen, data);
  if (!quiet || data.current.advisories.relayed > 0) drawAdvisories(pen, data);
  drawOperations(pen, data);
  drawRecommendations(pen, data);

  drawContents(pen, contentsY, pen.sections);
  drawPageFrames(doc, s, `${provider} · ${s.coverTitle} · ${data.customer.name} · ${label}`, provider);
  doc.end();
  return done;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
