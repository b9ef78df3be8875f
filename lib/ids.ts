// Identifiers: UUIDv7 (RFC 9562) so ids sort by creation time and never collide across agents.
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;
// Random bytes are drawn from the kernel in blocks: one syscall per 512 ids instead of one per id.
const POOL_IDS = 512;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolOffset = pool.length;

function randomBlock(): Buffer {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const block = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return block;
}

/** A new UUIDv7; monotonic within this process even when called many times in one millisecond. */
export function uuidv7(nowMs: number = Date.now()): string {
  const b = randomBlock();
  if (nowMs <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    nowMs = lastMs;
  } else {
    lastMs = nowMs;
    seq = b.readUInt16BE(14) & 0x7ff;
  }
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
