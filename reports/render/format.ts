// Formatting of figures for a person: numbers in the report's locale, instants in the customer's zone.
import { DateTime } from 'luxon';
import type { Language } from '../../collector/notify/types.js';
import type { Formatters } from './i18n.js';

/** Formatters for one language and zone. */
export function formattersFor(language: Language, zone: string): Formatters {
  const locale = language === 'en' ? 'en-GB' : 'es-AR';
  const ints = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dateFmt = language === 'en' ? 'd LLL yyyy' : 'dd/MM/yyyy';
  const dateTimeFmt = language === 'en' ? 'd LLL yyyy HH:mm' : 'dd/MM/yyyy HH:mm';
  return {
    int: (n) => ints.format(n),
    num: (n, digits) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n),
    pct: (ratio, digits = 0) => new Intl.NumberFormat(locale, {
      style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits,
    }).format(ratio),
    minutes: (m) => {
      const total = Math.round(m);
      if (total < 60) return `${total} min`;
      const h = Math.floor(total / 60);
      const rest = total % 60;
      return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
    },
    // Calendar dates (maintenance expiry) carry no zone: shown as written.
    date: (isoDate) => DateTime.fromISO(isoDate.slice(0, 10), { zone: 'UTC' }).setLocale('en-GB').toFormat(dateFmt),
    dateTime: (iso) => DateTime.fromISO(iso, { zone: 'UTC' }).setZone(zone).setLocale('en-GB').toFormat(dateTimeFmt),
  };
}
