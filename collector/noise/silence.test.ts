// Silences through the real pipeline on a real SQLite file and a fixed clock.
import { afterEach, describe, expect, it } from 'vitest';
import { queuedMails, storedEvent, ticketKit, type TicketKit } from '../tickets/testkit.js';
import { silenceEnd } from '../../bin/commands/noise.js';
import { NoiseStore } from './store.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

function kit() {
  const k = ticketKit({ start: '2026-03-20T16:50:00-03:00' });
  kits.push(k);
  return { k, noise: new NoiseStore(k.db) };
}

describe('silences', () => {
  it('a silence on one threat name suppresses exactly that threat, and after it ends the next event opens a ticket', () => {
    const { k, noise } = kit();
    const s = noise.addSilence({ matchers: { threat: 'win32/filecoder.phobos' }, endsAt: '2026-03-20T18:00:00-03:00',
      comment: 'falso positivo conocido', author: 'ing.lopez' }, k.clock(), 168);
    const silenced = storedEvent();
    expect(k.pipeline.processEvent(silenced, k.clock())).toMatchObject({ ticket: null, suppressedBy: { kind: 'silence', ref: s.id } });
    expect(noise.suppressionsOf([silenced.id]).get(silenced.id)).toEqual({ kind: 'silence', ref: s.id });
    // Another threat is not silenced.
    const other = k.pipeline.processEvent(storedEvent({ computer: { name: 'PC-02' }, threat: { name: 'Win32/Emotet.A', type: 'trojan' } }), k.clock());
    expect(other.created).toBe(true);
    expect(queuedMails(k).every((m) => !m.subject.includes('Phobos'))).toBe(true);
    // At its end (exclusive) the next event of that threat opens a ticket.
    k.clock.set('2026-03-20T18:00:00-03:00');
    const after = k.pipeline.processEvent(storedEvent(), k.clock());
    expect(after).toMatchObject({ created: true });
    expect(after.suppressedBy).toBeUndefined();
    // Still listed (ended) within the configured while after its end, then no longer.
    expect(noise.silences(k.clock(), 24).map((x) => x.id)).toEqual([s.id]);
    expect(noise.silences(new Date('2026-03-21T18:00:01-03:00'), 24)).toEqual([]);
  });

  it('cannot be created without an end, past the maximum, or without a matcher or comment', () => {
    const { k, noise } = kit();
    const base = { matchers: { threat: 'X' }, comment: 'c', author: 'a' };
    expect(() => noise.addSilence({ ...base, endsAt: '' }, k.clock(), 168)).toThrow(/needs an end/);
    expect(() => silenceEnd({}, k.clock())).toThrow(/needs an end/);
    expect(() => noise.addSilence({ ...base, endsAt: '2026-03-30T00:00:00Z' }, k.clock(), 168)).toThrow(/at most 168 h/);
    expect(() => noise.addSilence({ ...base, endsAt: '2026-03-19T00:00:00Z' }, k.clock(), 168)).toThrow(/future/);
    expect(() => noise.addSilence({ ...base, matchers: {}, endsAt: '2026-03-21T00:00:00Z' }, k.clock(), 168)).toThrow(/at least one matcher/);
    expect(() => noise.addSilence({ ...base, comment: ' ', endsAt: '2026-03-21T00:00:00Z' }, k.clock(), 168)).toThrow(/comment/);
    expect(silenceEnd({ for: '2h' }, new Date('2026-03-20T00:00:00Z'))).toBe('2026-03-20T02:00:00.000Z');
  });

  it('expired by hand it stops at once; every matcher given must match', () => {
    const { k, noise } = kit();
    const s = noise.addSilence({ matchers: { customer: 'acme', computer: 'PC-09' }, endsAt: '2026-03-20T20:00:00-03:00',
      comment: 'c', author: 'a' }, k.clock(), 168);
    expect(k.pipeline.processEvent(storedEvent({ computer: { name: 'pc-09' } }), k.clock()).suppressedBy?.ref).toBe(s.id);
    expect(k.pipeline.processEvent(storedEvent({ computer: { name: 'PC-10' } }), k.clock()).created).toBe(true);
    expect(noise.expireSilence(s.id, k.clock())).toBe(true);
    expect(noise.expireSilence(s.id, k.clock())).toBe(false);
    expect(k.pipeline.processEvent(storedEvent({ computer: { name: 'PC-09' } }), k.clock()).created).toBe(true);
  });
});
