// The words of the console's "Mantenimiento y silencios" page, in Spanish (es-AR, the default) and English. Kept
// beside the page so the shared catalogues only carry its navigation entry.
import type { Language } from '../../notify/types.js';

const es = {
  title: 'Mantenimiento y silencios',
  intro: 'Durante una ventana de mantenimiento o un silencio los eventos que coinciden se guardan y se cuentan, pero no abren tickets ni envían correos.',
  windows: 'Ventanas de mantenimiento', silences: 'Silencios', noWindows: 'No hay ventanas activas ni terminadas recientemente.',
  noSilences: 'No hay silencios activos ni terminados recientemente.', id: 'Id', customer: 'Cliente', scope: 'Alcance', when: 'Cuándo',
  reason: 'Motivo', author: 'Quién', state: 'Estado', matchers: 'Coincidencias', ends: 'Termina', comment: 'Comentario',
  whole: 'todo el cliente', agent: 'agente', computer: 'equipo', agentField: 'Agente (id)', computerField: 'Equipo', open: 'abierta ahora', waiting: 'programada', past: 'ya pasó',
  ended: 'terminada {at}', active: 'activo', expired: 'vencido {at}', end: 'Terminar ventana', expire: 'Vencer silencio',
  addWindow: 'Nueva ventana de mantenimiento', addSilence: 'Nuevo silencio', from: 'Desde', to: 'Hasta',
  recurring: 'O recurrente', recurringHint: 'En lugar de Desde/Hasta: "weekly sat 22:00-02:00" (días mon…sun) o "monthly first-sun 06:00-10:00" (first…fourth, last).',
  optional: '(opcional)', anyCustomer: '(cualquiera)', create: 'Crear', zoneHint: 'Horas en la zona del cliente.',
  silenceZoneHint: 'Hora en la zona del cliente elegido (o {zone} si no se elige cliente). Máximo {max} h.',
  vendor: 'Fabricante', eventType: 'Tipo de evento', threat: 'Amenaza', rule: 'Regla', readOnly: 'Su rol puede ver esta página; crear, terminar y vencer corresponde a L2, L3 y líderes.',
  weekly: 'semanal', monthly: 'mensual', done: 'Listo: {id}.',
} as const;

/** A key of the page's catalogue. */
export type NoiseKey = keyof typeof es;

const en: Record<NoiseKey, string> = {
  title: 'Maintenance and silences',
  intro: 'During a maintenance window or a silence, matching events are stored and counted but open no ticket and send no mail.',
  windows: 'Maintenance windows', silences: 'Silences', noWindows: 'No active or recently ended windows.',
  noSilences: 'No active or recently ended silences.', id: 'Id', customer: 'Customer', scope: 'Scope', when: 'When',
  reason: 'Reason', author: 'Who', state: 'State', matchers: 'Matchers', ends: 'Ends', comment: 'Comment',
  whole: 'whole customer', agent: 'agent', computer: 'computer', agentField: 'Agent (id)', computerField: 'Computer', open: 'open now', waiting: 'scheduled', past: 'past',
  ended: 'ended {at}', active: 'active', expired: 'ended {at}', end: 'End window', expire: 'Expire silence',
  addWindow: 'New maintenance window', addSilence: 'New silence', from: 'From', to: 'To',
  recurring: 'Or recurring', recurringHint: 'Instead of From/To: "weekly sat 22:00-02:00" (days mon…sun) or "monthly first-sun 06:00-10:00" (first…fourth, last).',
  optional: '(optional)', anyCustomer: '(any)', create: 'Create', zoneHint: "Times in the customer's zone.",
  silenceZoneHint: "Time in the chosen customer's zone (or {zone} when no customer is chosen). At most {max} h.",
  vendor: 'Vendor', eventType: 'Event type', threat: 'Threat', rule: 'Rule', readOnly: 'Your role may view this page; creating, ending and expiring is for L2, L3 and leads.',
  weekly: 'weekly', monthly: 'monthly', done: 'Done: {id}.',
};

/** A message of the page, `{name}` placeholders filled (the caller escapes by rendering with html``). */
export function nt(language: Language, key: NoiseKey, params: Record<string, string | number> = {}): string {
  const text: string = (language === 'en' ? en : es)[key];
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}
