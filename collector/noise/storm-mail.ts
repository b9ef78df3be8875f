// The outbreak incident's update mail (storm control, docs/noise.md) in each reader's language: one message per
// language to the opening's recipients who read it, with the computers added since the last mail.
import { defineTemplate } from '../notify/template.js';
import type { Language, NotificationQueue } from '../notify/types.js';
import type { Recipient } from '../registry/recipients.js';
import type { Ticket } from '../tickets/repository.js';

/** The update of an outbreak incident: how many computers it counts, how many since the last mail, and all of them. */
export const stormUpdateMail = defineTemplate({
  id: 'noise/storm-update',
  variables: ['number', 'total', 'added', 'computers'],
  es: {
    subject: '[{{number}}] Brote: {{total}} equipos (+{{added}})',
    text: 'El incidente {{number}} suma {{added}} equipos desde el último aviso; {{total}} en total.\n\n{{computers}}',
  },
  en: {
    subject: '[{{number}}] Outbreak: {{total}} computers (+{{added}})',
    text: 'Incident {{number}} has {{added}} more computers since the last update; {{total}} in all.\n\n{{computers}}',
  },
});

/** Queues the update, one message per language of the recipients (Spanish first); the key names the count and
 *  the language, so a re-run of the same step queues nothing twice. */
export function queueStormUpdate(queue: NotificationQueue, ticket: Ticket, recipients: readonly Recipient[], computers: readonly string[], added: number): void {
  const byLanguage = new Map<Language, string[]>();
  for (const r of recipients) byLanguage.set(r.language, [...(byLanguage.get(r.language) ?? []), r.email]);
  for (const language of (['es', 'en'] as const).filter((l) => byLanguage.has(l))) {
    queue.enqueue({
      channel: 'email', to: byLanguage.get(language)!,
      message: stormUpdateMail.render(language, { number: ticket.number, total: computers.length, added, computers: computers.join('\n') }),
      dedupKey: `storm-update|${ticket.id}|${computers.length}|${language}`, subjectRef: { kind: 'ticket', id: ticket.id, customerId: ticket.customerId },
    });
  }
}
