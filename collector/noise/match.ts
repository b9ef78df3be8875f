// Which window or silence covers an event or a silent agent at an instant. Matchers compare equal (computer and
// threat names case-insensitively); a window covers its customer, or only its agent, or only its computer.
import { z } from 'zod';
import { EVENT_TYPES, VENDORS, type StoredEvent } from '../../protocol/event.js';
import type { Customer } from '../registry/types.js';
import { activeOccurrence } from './schedule.js';
import type { MaintenanceWindow, Silence } from './store.js';

/** A silence's matchers: at least one field; every one given must match. */
export const silenceMatchersSchema = z.object({
  customer: z.string().min(1).optional(),
  vendor: z.enum(VENDORS).optional(),
  eventType: z.enum(EVENT_TYPES).optional(),
  computer: z.string().min(1).optional(),
  threat: z.string().min(1).optional(),
  rule: z.string().min(1).optional(),
}).strict().refine((m) => Object.keys(m).length > 0, 'a silence needs at least one matcher');
export type SilenceMatchers = z.infer<typeof silenceMatchersSchema>;

const same = (a: string | undefined | null, b: string | undefined | null) =>
  a !== undefined && a !== null && b !== undefined && b !== null && a.toLowerCase() === b.toLowerCase();

/** Whether every matcher of the silence equals the event's field (`rule`: the triage rule that matched it). */
export function silenceMatches(m: SilenceMatchers, event: StoredEvent, rule: string | undefined): boolean {
  if (m.customer !== undefined && m.customer !== event.customerId) return false;
  if (m.vendor !== undefined && m.vendor !== event.vendor) return false;
  if (m.eventType !== undefined && m.eventType !== event.eventType) return false;
  if (m.computer !== undefined && !same(m.computer, event.computer?.name)) return false;
  if (m.threat !== undefined && !same(m.threat, event.threat?.name)) return false;
  if (m.rule !== undefined && m.rule !== rule) return false;
  return true;
}

const zoneOf = (customer: Customer | undefined) => customer?.timezone || 'America/Argentina/Buenos_Aires';

/** Whether the window is open at `now` (not ended by hand, its schedule holding now in the customer's zone). */
export function windowOpen(w: MaintenanceWindow, now: Date, customer: Customer | undefined): boolean {
  if (w.endedAt && Date.parse(w.endedAt) <= now.getTime()) return false;
  return activeOccurrence(w.schedule, now, zoneOf(customer)) !== null;
}

/** Whether the window's scope takes in the event: its customer, and its agent or computer when it names one. */
export function windowCoversEvent(w: MaintenanceWindow, event: StoredEvent): boolean {
  if (w.customerId !== event.customerId) return false;
  if (w.agentId !== null && w.agentId !== event.agentId) return false;
  if (w.computer !== null && !same(w.computer, event.computer?.name)) return false;
  return true;
}

/** Whether the window's scope takes in an agent's silence: the customer's window or that agent's (not a computer's). */
export function windowCoversAgent(w: MaintenanceWindow, agent: { id: string; customerId: string }): boolean {
  return w.customerId === agent.customerId && w.computer === null && (w.agentId === null || w.agentId === agent.id);
}

/** The first open window covering the event, then the first active silence matching it. */
export function suppressorOf(event: StoredEvent, rule: string | undefined, now: Date, windows: readonly MaintenanceWindow[],
  silences: readonly Silence[], customer: Customer | undefined): { kind: 'maintenance' | 'silence'; ref: string } | null {
  const w = windows.find((x) => windowCoversEvent(x, event) && windowOpen(x, now, customer));
  if (w) return { kind: 'maintenance', ref: w.id };
  const s = silences.find((x) => !x.expiredAt && Date.parse(x.endsAt) > now.getTime() && silenceMatches(x.matchers, event, rule));
  return s ? { kind: 'silence', ref: s.id } : null;
}
