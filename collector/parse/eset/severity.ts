// ESET's severity scales → our normalized one. The exported events use words (Information < Notice < Warning <
// Error < Critical < Fatal), CEF and LEEF numbers (2, 3, 5, 7, 8, 10), ESET Inspect a 0–100 score. The mapping is
// documented in docs/events.md; the thresholds for scores are our choice.
import type { Severity } from '../../../protocol/event.js';
import { severityFromWord } from '../common/normalize.js';

/** ESET's severity words → SEVERITIES. */
export const ESET_SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  information: 'info',
  notice: 'low',
  warning: 'medium',
  error: 'high',
  critical: 'critical',
  fatal: 'critical',
};

/** An ESET severity as sent (word, CEF/LEEF number) → SEVERITIES; undefined when it is neither. */
export function esetSeverity(vendorSeverity: string | undefined): Severity | undefined {
  if (vendorSeverity === undefined) return undefined;
  const word = vendorSeverity.trim().toLowerCase();
  const known = ESET_SEVERITY_WORDS[word];
  if (known) return known;
  if (/^\d{1,2}$/.test(word)) return cefSeverity(Number(word));
  return severityFromWord(word);
}

/** CEF/LEEF severity 0–10 as ESET uses it: 2 Information, 3 Notice, 5 Warning, 7 Error, 8 Critical, 10 Fatal. */
export function cefSeverity(level: number): Severity {
  if (level >= 8) return 'critical';
  if (level >= 6) return 'high';
  if (level >= 4) return 'medium';
  if (level === 3) return 'low';
  return 'info';
}

/** ESET Inspect's severity score (0–100): 70+ critical, 40+ high, 20+ medium, below low. */
export function inspectScoreSeverity(score: number | undefined): Severity | undefined {
  if (score === undefined || Number.isNaN(score)) return undefined;
  if (score >= 70) return 'critical';
  if (score >= 40) return 'high';
  if (score >= 20) return 'medium';
  return 'low';
}

/** ESET names ransomware Filecoder (Win32/Filecoder.*) and the Ransomware Shield reports it as such. */
export function looksLikeRansomware(...texts: (string | undefined)[]): boolean {
  return texts.some((text) => text !== undefined && /filecoder|ransom|lockscreen|cryptolocker|ransomware/i.test(text));
}

/** Firewall events that mean an infected computer rather than an attempt from outside. */
export function isBotnetEvent(event: string | undefined): boolean {
  return event !== undefined && /botnet/i.test(event);
}
