// The SMTP receiver: notification e-mails from ESET PROTECT and SEPM consoles.
export { smtpReceiverConfigSchema, mimeLimitsSchema } from './config.js';
export type { SmtpReceiverConfig, SmtpReceiverConfigInput, MimeLimits } from './config.js';
export { createSmtpReceiver } from './receiver.js';
export type { SmtpReceiver } from './receiver.js';
export { REFUSALS } from './policy.js';
