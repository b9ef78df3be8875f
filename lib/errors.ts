// One registry of error codes: each with the message a person reads and, where it crosses HTTP, its status.

/** Every error code the product raises on purpose. */
export const ERROR_CODES = {
  CONFIG_INVALID: { status: 400, message: 'the configuration is not valid' },
  CONFIG_NOT_FOUND: { status: 400, message: 'the configuration file was not found' },
  AUTH_MISSING: { status: 401, message: 'a bearer token is required' },
  AUTH_INVALID: { status: 401, message: 'the token is not valid or was revoked' },
  FORBIDDEN: { status: 403, message: 'this token may not do that' },
  BODY_INVALID: { status: 400, message: 'the request body is not valid' },
  BODY_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  NOT_FOUND: { status: 404, message: 'not found' },
  CUSTOMER_NOT_FOUND: { status: 404, message: 'no customer has that id' },
  CUSTOMER_EXISTS: { status: 409, message: 'a customer with that id exists already' },
  CONTACT_LIMIT: { status: 409, message: 'the plan allows no more designated contacts for that product' },
  CONTACT_NOT_FOUND: { status: 404, message: 'no contact has that id' },
  AGENT_NOT_FOUND: { status: 404, message: 'no agent has that id' },
  OUTBOX_REFUSING: { status: 503, message: 'the outbox cannot write: captures are refused' },
  INVALID_ARGUMENT: { status: 400, message: 'an argument is not valid' },
  TEMPLATE_INVALID: { status: 500, message: 'a message template is not valid' },
  STATE_CONFLICT: { status: 409, message: 'that change is not allowed in the current state' },
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the product raised on purpose: a code, a message a person understands, optional details. */
export class XpearsError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'XpearsError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}

/** Why a delivery failed, and whether trying again can help (Alertmanager's notify.ErrorWithReason). */
export type FailureReason = 'client' | 'server' | 'auth' | 'rate-limited' | 'timeout' | 'network' | 'unknown';

/** A failed delivery to a collector, a mail server or a webhook. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly reason: FailureReason;
  constructor(message: string, reason: FailureReason, retryable: boolean) {
    super(message);
    this.name = 'DeliveryError';
    this.reason = reason;
    this.retryable = retryable;
  }
}

/** Classifies an HTTP status into a delivery failure reason and whether to retry. */
export function classifyHttpStatus(status: number): { reason: FailureReason; retryable: boolean } {
  if (status === 401 || status === 403) return { reason: 'auth', retryable: false };
  if (status === 429) return { reason: 'rate-limited', retryable: true };
  if (status === 408) return { reason: 'timeout', retryable: true };
  if (status >= 500) return { reason: 'server', retryable: true };
  return { reason: 'client', retryable: false };
}
