// Who may send what to whom: the SMTP receiver's decisions as pure functions, each answering with the SMTP reply a
// refusal gets, so the table of codes lives in one place.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SmtpReceiverConfig } from './config.js';

/** A refusal: the reply code, the text (with its enhanced status code) and the reason counted in health. */
export interface Refusal {
  responseCode: number;
  message: string;
  reason: string;
}

/** Every refusal the receiver sends, by reason. */
export const REFUSALS = {
  network: { responseCode: 554, message: '5.7.1 Connection refused: your network may not send mail here', reason: 'network' },
  relay: { responseCode: 550, message: '5.7.1 Relaying denied: this server accepts mail only for its own recipients', reason: 'relay' },
  unknownRecipient: { responseCode: 550, message: '5.1.1 Recipient unknown here', reason: 'recipient' },
  sender: { responseCode: 550, message: '5.7.1 Sender not allowed', reason: 'sender' },
  authRequired: { responseCode: 530, message: '5.7.0 Authentication required', reason: 'auth-required' },
  tlsRequired: { responseCode: 530, message: '5.7.0 Must issue a STARTTLS command first', reason: 'tls-required' },
  authFailed: { responseCode: 535, message: '5.7.8 Authentication credentials invalid', reason: 'auth' },
  authLocked: { responseCode: 454, message: '4.7.0 Too many failed authentication attempts, try again later', reason: 'auth-locked' },
  sourceConnections: { responseCode: 421, message: '4.7.0 Too many connections from your address, try again later', reason: 'connections-per-source' },
  size: { responseCode: 552, message: '5.3.4 Message too big for this server', reason: 'size' },
  outbox: { responseCode: 451, message: '4.3.0 Message not stored, try again later', reason: 'outbox' },
  internal: { responseCode: 451, message: '4.3.0 Local error while receiving the message, try again later', reason: 'internal' },
} as const satisfies Record<string, Refusal>;

/** Splits "User@Example.COM" into a lower-cased local part and domain; null when there is no "@". */
export function splitAddress(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return { local: address.slice(0, at).toLowerCase(), domain: address.slice(at + 1).toLowerCase() };
}

/** Decides a RCPT TO: accepted (null), unknown user at one of our domains (5.1.1), or a foreign domain (5.7.1). */
export function checkRecipient(recipients: SmtpReceiverConfig['recipients'], address: string): Refusal | null {
  const parts = splitAddress(address);
  if (!parts) return REFUSALS.relay;
  const full = `${parts.local}@${parts.domain}`;
  if (recipients.domains.includes(parts.domain)) return null;
  if (recipients.addresses.includes(full)) return null;
  const knownDomain = recipients.addresses.some((a) => splitAddress(a)?.domain === parts.domain);
  return knownDomain ? REFUSALS.unknownRecipient : REFUSALS.relay;
}

/** Decides a MAIL FROM against the optional allow-list ("a@b.c", "@b.c" or "b.c"); an empty list allows anyone. */
export function checkSender(allowedSenders: readonly string[], address: string): Refusal | null {
  if (allowedSenders.length === 0) return null;
  const parts = splitAddress(address);
  if (!parts) return REFUSALS.sender;
  const full = `${parts.local}@${parts.domain}`;
  const allowed = allowedSenders.some((entry) => {
    if (entry.includes('@') && !entry.startsWith('@')) return entry === full;
    return entry.replace(/^@/, '') === parts.domain;
  });
  return allowed ? null : REFUSALS.sender;
}

/** Compares a password with the configured one in constant time: both are hashed first so that neither the
 *  content nor the length leaks through timing. */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Looks the user up and checks the password; every user is checked so the time does not tell which exist. */
export function authenticate(
  users: readonly { username: string; password: string }[],
  username: string,
  password: string,
): boolean {
  let ok = false;
  for (const user of users) {
    const nameOk = passwordMatches(username, user.username);
    const passOk = passwordMatches(password, user.password);
    if (nameOk && passOk) ok = true;
  }
  return ok;
}
