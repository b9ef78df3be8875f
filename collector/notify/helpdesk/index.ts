// The help-desk channel: case e-mails in the manuals' format, to the CAS mailbox.
export { helpdeskConfigSchema, type HelpdeskConfig } from './config.js';
export { defineHelpdeskCase, helpdeskCaseMessage, helpdeskCaseTemplate, helpdeskCaseFieldsSchema, type HelpdeskCaseFields } from './case.js';
export { HelpdeskChannel } from './channel.js';
