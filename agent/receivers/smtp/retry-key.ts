// The key under which a mail's retry is recognised: its Message-ID together with everything the capture keeps of it.
import { createHash } from 'node:crypto';
import type { SmtpCapture } from '../../../protocol/envelope.js';

/**
 * '' for a mail without a Message-ID (nothing names its retry). Otherwise a SHA-256 of the Message-ID, the envelope
 * (MAIL FROM, RCPT TO) and the captured content (headers, bodies, attachments' hashes): a sender's retry of the same
 * message matches; another message that reuses a Message-ID, or the same one rebuilt with a new Date, does not.
 */
export function mailRetryKey(mail: SmtpCapture): string {
  if (!mail.messageId) return '';
  const content = createHash('sha256')
    .update(JSON.stringify([mail.headers, mail.text ?? null, mail.html ?? null, mail.attachments]))
    .digest('hex');
  const parts = ['smtp-message-id', mail.messageId, mail.mailFrom, [...mail.rcptTo].sort().join(','), content];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
