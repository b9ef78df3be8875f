// How an SNMP capture reaches the outbox: an inform through the retry ledger under its retry key; an authenticated
// v3 trap through the ledger under its digest, so that a copy is refused even after a restart; either way the
// sender's engine time notion is kept in the same transaction. Without a ledger, straight to the sink.
import type { RemoteInfo } from 'node:dgram';
import type { RawMessage } from 'net-snmp';
import type { Capture } from '../../../protocol/envelope.js';
import type { CaptureSink } from '../types.js';
import type { RetryLedger } from '../../outbox/retry-ledger.js';
import { digestKey, type EngineNotion, type UsmStamp } from './usm-time.js';
import { informRetryKey } from './retry-keys.js';

/** What the timeliness check said of an accepted authenticated v3 message. */
export interface UsmMark {
  stamp: UsmStamp;
  /** How long its digest must be kept. */
  keepMs: number;
  /** Its digest was seen already (only an inform gets this far: it may be answered, never stored). */
  replayed: boolean;
}

/** stored: a new capture; duplicate: a retry, answered and not stored; replay: a copy, neither stored nor answered. */
export type StoreOutcome = 'stored' | 'duplicate' | 'replay';

/** What storeSnmpCapture needs. */
export interface SnmpStoreDeps {
  sink: CaptureSink;
  retries?: RetryLedger;
  informWindowMs: number;
  notion(engineId: string): EngineNotion | undefined;
}

/** Stores one trap or inform once; see the file comment. */
export async function storeSnmpCapture(
  deps: SnmpStoreDeps, capture: Capture, message: RawMessage, rinfo: RemoteInfo, inform: boolean, mark?: UsmMark,
): Promise<StoreOutcome> {
  const ledger = deps.retries;
  if (!ledger) {
    if (mark?.replayed) return 'replay';
    await deps.sink.capture(capture);
    return 'stored';
  }
  const engineId = mark && !mark.stamp.toUs ? mark.stamp.engineId : undefined;
  const keepNotion = engineId === undefined ? undefined : () => {
    const notion = deps.notion(engineId);
    if (notion) ledger.saveEngineTime({ engineId, ...notion });
  };
  if (inform) {
    const key = informRetryKey(message, rinfo);
    if (mark?.replayed) return ledger.lookup(key) !== undefined ? 'duplicate' : 'replay';
    const result = await ledger.captureOnce(deps.sink, capture, key, deps.informWindowMs, keepNotion);
    return result.duplicate ? 'duplicate' : 'stored';
  }
  if (!mark) {
    await deps.sink.capture(capture);
    return 'stored';
  }
  const result = await ledger.captureOnce(deps.sink, capture, `usm|${digestKey(mark.stamp)}`, mark.keepMs, keepNotion);
  return result.duplicate ? 'replay' : 'stored';
}
