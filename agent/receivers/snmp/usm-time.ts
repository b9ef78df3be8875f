// USM's timeliness check (RFC 3414 §3.2 step 7) and a replay cache, for authenticated SNMPv3 messages: pure, with
// the clock given. A message outside its 150-second window is refused; inside it, the same authenticated message
// (same engine, same digest) is accepted once.
//
// - An inform names us as its authoritative engine: its boots must equal ours and its time be within 150 s of ours
//   (RFC 3414 §3.2 7a). Our boots grow at every start (kept in the outbox file), our time counts from the start.
// - A trap names its sender as the authoritative engine: per engine ID we keep the latest boots and time seen and
//   let that time run with our clock (the "local notion", §3.2 7b); a message with lower boots, or with the same
//   boots and a time more than 150 s behind, is refused. The first message from an engine sets its notion.
// - Timeliness alone lets a message be replayed within its window: its HMAC digest is kept until the message's time
//   leaves the window, and a second copy is a replay.
// Memory here is this process's; store.ts keeps notions and digests in the outbox file and restore() reads them back.
import type { Clock } from '../../../lib/clock.js';

/** RFC 3414 §2.2.3: the width of the window, in seconds. */
export const TIME_WINDOW_SECONDS = 150;
const MAX_BOOTS = 2_147_483_647;

/** What the check says of one authenticated message. */
export type TimelinessVerdict = 'ok' | 'not-in-time-window' | 'replay';

/** The parts of an authenticated SNMPv3 message the check reads. */
export interface UsmStamp {
  /** msgAuthoritativeEngineID, hex. */
  engineId: string;
  boots: number;
  time: number;
  /** msgAuthenticationParameters (the HMAC), hex. */
  digest: string;
  /** True for an inform sent to our engine: checked against our own clock. */
  toUs: boolean;
}

/** Our own engine's boots and the instant its time started. */
export interface LocalEngine {
  boots: number;
  startedAtMs: number;
}

/** The local notion of one engine's time (RFC 3414 §2.3): its boots, its time at `atMs`, the latest time seen. */
export interface EngineNotion { boots: number; time: number; latest: number; atMs: number }

/** What the check says, and how long the message's digest must be kept (while a copy could still pass). */
export interface TimelinessAssessment {
  verdict: TimelinessVerdict;
  keepMs: number;
}

/** The key under which an accepted message's digest is remembered. */
export function digestKey(stamp: UsmStamp): string {
  return `${stamp.engineId}:${stamp.boots}:${stamp.digest}`;
}

/** The timeliness check and replay cache of one receiver; memory is bounded by the limits given. */
export class UsmTimeliness {
  private readonly engines = new Map<string, EngineNotion>();
  private readonly digests = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly local: LocalEngine,
    private readonly limits = { maxEngines: 10_000, maxDigests: 200_000 },
  ) {}

  /** Our snmpEngineTime: whole seconds since start. */
  localTime(): number {
    return Math.floor((this.clock().getTime() - this.local.startedAtMs) / 1000);
  }

  /** Checks one authenticated message; an accepted one is remembered so that its copy is a replay. */
  check(stamp: UsmStamp): TimelinessVerdict {
    return this.assess(stamp).verdict;
  }

  /** check(), with how long the digest must be kept by whoever keeps it longer than this process. */
  assess(stamp: UsmStamp): TimelinessAssessment {
    const now = this.clock().getTime();
    const reference = stamp.toUs ? this.ours(stamp) : this.theirs(stamp, now);
    if (reference === null) return { verdict: 'not-in-time-window', keepMs: 0 };
    // The digest must be kept while the message could still pass: until its time is 150 s behind the reference.
    const keepMs = (stamp.time + TIME_WINDOW_SECONDS - reference + 1) * 1000;
    const fresh = this.remember(digestKey(stamp), now, now + keepMs);
    return { verdict: fresh ? 'ok' : 'replay', keepMs };
  }

  /** Takes back the notions an earlier run kept (oldest first), so a restart opens no window for old messages. */
  restore(notions: Iterable<[string, EngineNotion]>): void {
    for (const [engineId, notion] of notions) this.engines.set(engineId, { ...notion });
  }

  /** The current notion of an engine's time, to be kept across restarts. */
  notion(engineId: string): EngineNotion | undefined {
    const notion = this.engines.get(engineId);
    return notion && { ...notion };
  }

  // §3.2 7a: our engine is authoritative. Returns our time, or null when outside the window.
  private ours(stamp: UsmStamp): number | null {
    const time = this.localTime();
    if (this.local.boots >= MAX_BOOTS || stamp.boots !== this.local.boots) return null;
    return Math.abs(stamp.time - time) > TIME_WINDOW_SECONDS ? null : time;
  }

  // §3.2 7b: the sender is authoritative. Returns the local notion of its time, or null when outside the window.
  private theirs(stamp: UsmStamp, now: number): number | null {
    let notion = this.engines.get(stamp.engineId);
    if (!notion || stamp.boots > notion.boots || (stamp.boots === notion.boots && stamp.time > notion.latest)) {
      notion = { boots: stamp.boots, time: stamp.time, latest: stamp.time, atMs: now };
      this.engines.delete(stamp.engineId);
      this.engines.set(stamp.engineId, notion);
      if (this.engines.size > this.limits.maxEngines) this.engines.delete(this.engines.keys().next().value!);
    }
    const time = notion.time + Math.floor((now - notion.atMs) / 1000);
    if (notion.boots >= MAX_BOOTS || stamp.boots < notion.boots) return null;
    return stamp.time < time - TIME_WINDOW_SECONDS ? null : time;
  }

  // False when the key is already kept and not expired. Keys are dropped when expired (the oldest inserted first)
  // and, past maxDigests, the oldest go early: a flood of valid messages can then let an old copy in once.
  private remember(key: string, now: number, expiresAt: number): boolean {
    const known = this.digests.get(key);
    if (known !== undefined && known > now) return false;
    for (const [k, exp] of this.digests) {
      if (exp > now && this.digests.size < this.limits.maxDigests) break;
      this.digests.delete(k);
    }
    this.digests.set(key, expiresAt);
    return true;
  }
}
