// Keeps slow, silent or numerous TCP/TLS peers from holding the syslog receiver: a cap per source address, a full
// listener that makes room by closing the oldest connection that never delivered a message, a clock on every
// message begun (a minimum data rate) and an idle clock that only a delivered message resets.

/** Why a connection was not admitted. */
export type SlotRefusal = 'connections-per-source' | 'connections';

interface Slot { address: string; delivered: boolean; close: () => void }

/** The connection slots of one listener. */
export class ConnectionSlots {
  // Insertion order is age: the first entry is the oldest connection.
  private readonly open = new Map<object, Slot>();

  constructor(private readonly limits: { maxConnections: number; maxPerSource: number }) {}

  /**
   * Admits a connection, or says why not. When the listener is full, the oldest connection that has not delivered
   * one message is closed to make room (a console sends as soon as it connects; a peer that only holds a slot does
   * not); `evicted` names its address. Only when every connection has delivered is the newcomer refused.
   */
  admit(key: object, address: string, close: () => void): { refused?: SlotRefusal; evicted?: string } {
    let fromSource = 0;
    for (const slot of this.open.values()) if (slot.address === address) fromSource += 1;
    if (fromSource >= this.limits.maxPerSource) return { refused: 'connections-per-source' };
    let evicted: string | undefined;
    if (this.open.size >= this.limits.maxConnections) {
      const idle = [...this.open].find(([, slot]) => !slot.delivered);
      if (!idle) return { refused: 'connections' };
      this.open.delete(idle[0]);
      idle[1].close();
      evicted = idle[1].address;
    }
    this.open.set(key, { address, delivered: false, close });
    return evicted === undefined ? {} : { evicted };
  }

  /** The connection delivered a message: it is no longer the first to be closed when the listener is full. */
  delivered(key: object): void {
    const slot = this.open.get(key);
    if (slot) slot.delivered = true;
  }

  /** The connection closed. */
  release(key: object): void {
    this.open.delete(key);
  }

  /** Connections open. */
  get size(): number {
    return this.open.size;
  }
}

/** Why a watched connection is closed. */
export type StreamExpiry = 'idle' | 'slow';

/** The two clocks of one connection; `expire` is called at most once per expiry. */
export class StreamWatch {
  private readonly idle: NodeJS.Timeout;
  private message: NodeJS.Timeout | null = null;

  constructor(private readonly limits: { idleTimeoutMs: number; messageTimeoutMs: number }, private readonly expire: (why: StreamExpiry) => void) {
    this.idle = setTimeout(() => this.expire('idle'), limits.idleTimeoutMs);
  }

  /** A message was accepted: the connection is not idle. Empty lines and refused garbage do not count. */
  delivered(): void {
    this.idle.refresh();
  }

  /** After each chunk: a message begun starts its clock, one completed stops it (the next begun starts anew). */
  progress(inMessage: boolean, completed: boolean): void {
    if (this.message && (completed || !inMessage)) {
      clearTimeout(this.message);
      this.message = null;
    }
    if (inMessage && !this.message) this.message = setTimeout(() => this.expire('slow'), this.limits.messageTimeoutMs);
  }

  /** Restarts the message clock: the receiver, not the peer, held the message up (back-pressure). */
  excuse(): void {
    this.message?.refresh();
  }

  /** The connection closed. */
  stop(): void {
    clearTimeout(this.idle);
    if (this.message) clearTimeout(this.message);
  }
}
