// The console's words in Spanish (es-AR, the default) and English, and the business-time countdown phrases.
import type { Language } from '../notify/types.js';
import { es } from './messages-es.js';
import { en } from './messages-en.js';

/** A message key (the Spanish catalogue is the reference). */
export type MessageKey = keyof typeof es;

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { es, en };

/** A translated message; `{name}` placeholders are filled from params (the caller escapes by rendering with html``). */
export function t(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text: string = CATALOGUES[language][key] ?? es[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/** Business minutes as "25 min", "3 h 10 min", "2 d 4 h" (business days of the calendar are counted as 24 h). */
export function duration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
  const d = Math.floor(m / (24 * 60));
  const h = Math.floor((m % (24 * 60)) / 60);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/** "vence en 25 min hábiles" / "vencido hace 5 min hábiles" / "respondido a tiempo". */
export function countdown(language: Language, status: { met: boolean | null; remainingMinutes: number }, answered: boolean, allHours: boolean): string {
  if (answered) return t(language, status.met ? 'sla.answeredInTime' : 'sla.answeredLate');
  const unit = allHours ? '' : t(language, 'sla.business');
  if (status.remainingMinutes >= 0 && status.met !== false) return t(language, 'sla.dueIn', { d: duration(status.remainingMinutes), unit });
  return t(language, 'sla.overdue', { d: duration(-status.remainingMinutes), unit });
}
