// The outbreak incident's update mail (storm control, docs/noise.md): one to each of the opening's recipients, in
// their language and their thread of the ticket, with the computers added since the last mail.
import { defineTemplate } from '../notify/template.js';
import type { Recipient } from '../registry/recipients.js';
import type { TicketNotifier } from '../tickets/notify.js';
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

/** Queues the update: one mail per reader of the opening, in the reader's language, in reply to that reader's
 *  earlier mails of the ticket (TicketNotifier.update); the key names the count, so a re-run of the same step
 *  queues nothing twice. */
export function queueStormUpdate(notifier: Pick<TicketNotifier, 'update'>, ticket: Ticket, recipients: readonly Recipient[], computers: readonly string[],
  added: number, at: Date): void {
  notifier.update(ticket, `storm-update:${computers.length}`, recipients,
    (language) => stormUpdateMail.render(language, { number: ticket.number, total: computers.length, added, computers: computers.join('\n') }), at);
}
