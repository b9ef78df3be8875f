// The e-mail channel: SMTP through nodemailer, with its settings and its failure mapping.
export { smtpConfigSchema, fromConfigSchema, type SmtpConfig, type FromConfig } from './config.js';
export { EmailChannel, createSmtpTransport, mailDomainOf, outboxMessageId, type MailTransport, type EmailChannelDeps, type DeliveryOptions } from './channel.js';
export { smtpFailure } from './errors.js';
