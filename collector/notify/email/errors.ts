// Maps what nodemailer and the SMTP server said into a DeliveryError: may it be retried, and why it failed.
import { DeliveryError } from '../../../lib/errors.js';

/** The fields nodemailer puts on its errors (code, the server's reply and its numeric code). */
interface SmtpErrorShape {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

const NETWORK_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETLS']);

/** A DeliveryError for a failed SMTP delivery. 4xx and broken connections are retryable; a 5xx is the server's
 *  final word about this message (unknown mailbox, refused content): sending it again gets the same answer. */
export function smtpFailure(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.responseCode === 'number' ? e.responseCode : 0;
  const describe = `smtp ${code || 'error'}${status ? ` ${status}` : ''}: ${message}`;
  if (code === 'EAUTH') {
    // 454 is a temporary authentication failure (the server's backend); 535 is a wrong user or password.
    return new DeliveryError(describe, 'auth', status >= 400 && status < 500);
  }
  if (status >= 400 && status < 500) {
    // 421 is the server closing for now, 450/451 "try later", 452 too many for now: all pass with time.
    return new DeliveryError(describe, status === 452 ? 'rate-limited' : 'server', true);
  }
  if (status >= 500) return new DeliveryError(describe, 'client', false);
  if (code === 'ETIMEDOUT') return new DeliveryError(describe, 'timeout', true);
  if (NETWORK_CODES.has(code)) return new DeliveryError(describe, 'network', true);
  // No recipient, no sender, an attachment that cannot be read: the message itself is wrong.
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'ESTREAM' || code === 'ENOENT' || code === 'EACCES' || code === 'EREQUIRETLS') {
    return new DeliveryError(describe, 'client', false);
  }
  return new DeliveryError(describe, 'unknown', true);
}
