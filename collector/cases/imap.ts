// The CAS mailbox read over IMAP (imapflow): each poll lists the mailbox's UIDs, fetches the ones not read yet (the
// imap_seen table, per UIDVALIDITY) and hands each to the intake, which records the UID in the same transaction as the
// case or comment: a restart in the middle of a poll re-reads nothing twice. Between polls the connection IDLEs when
// the server offers it (imapflow does so by itself on the open mailbox) and a new message starts a poll at once.
import { ImapFlow } from 'imapflow';
import type { Logger } from '../../lib/logger.js';
import type { ImapConfig } from './config.js';
import type { MailIntake } from './intake.js';
import type { CaseStore } from './store.js';

/** Polls one IMAP mailbox into the intake. */
export class ImapPoller {
  private client: ImapFlow | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly intake: MailIntake, private readonly store: CaseStore, private readonly config: ImapConfig, logger: Logger) {
    this.log = logger.child({ component: 'cases.imap' });
  }

  private async connect(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    const client = new ImapFlow({
      host: this.config.host, port: this.config.port, secure: this.config.secure, auth: { user: this.config.user, pass: this.config.pass },
      logger: false, tls: { rejectUnauthorized: this.config.rejectUnauthorized },
    });
    client.on('error', (err: unknown) => this.log.warn({ err }, 'imap connection error'));
    // A new message while idling: poll at once.
    client.on('exists', () => { void this.poll(); });
    await client.connect();
    await client.mailboxOpen(this.config.mailbox);
    this.client = client;
    return client;
  }

  /** One pass over the mailbox; returns how many messages were handed to the intake. Concurrent calls share a pass. */
  poll(): Promise<number> {
    if (this.running) { this.again = true; return this.running; }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) { this.again = false; void this.poll(); }
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const client = await this.connect();
    const lock = await client.getMailboxLock(this.config.mailbox);
    let handed = 0;
    try {
      const mailbox = client.mailbox;
      const uidvalidity = mailbox ? String(mailbox.uidValidity) : '0';
      const uids = (await client.search({ all: true }, { uid: true })) || [];
      for (const uid of uids) {
        if (this.stopped) break;
        if (this.store.imapSeen(this.config.mailbox, uidvalidity, uid)) continue;
        const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!msg || !msg.source) continue;
        await this.intake.receive(msg.source, { kind: 'imap', imap: { mailbox: this.config.mailbox, uidvalidity, uid } });
        handed += 1;
        // Marked read on the server for people looking at the mailbox; imap_seen is what counts.
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true }).catch(() => undefined);
      }
    } finally {
      lock.release();
    }
    // IDLE at once when offered (imapflow would start it only after a pause): a new message wakes the next pass.
    if (!this.stopped && client.capabilities.has('IDLE')) void client.idle().catch(() => undefined);
    return handed;
  }

  /** Polls now and every pollSeconds (a safety net under IDLE); errors are logged and retried at the next tick. */
  start(): void {
    const tick = (): void => {
      this.poll().catch((err: unknown) => {
        this.log.warn({ err }, 'imap poll failed');
        this.client?.close();
        this.client = null;
      });
    };
    tick();
    this.timer = setInterval(tick, this.config.pollSeconds * 1000);
    this.timer.unref();
  }

  /** Stops polling and logs out, after the message under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client?.usable) await client.logout().catch(() => client.close());
  }
}
