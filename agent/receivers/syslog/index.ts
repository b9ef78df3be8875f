// The syslog receiver: ESET PROTECT's syslog export and notifications, SEPM's external logging.
export { syslogReceiverConfigSchema } from './config.js';
export type { SyslogReceiverConfig, SyslogReceiverConfigInput } from './config.js';
export { createSyslogReceiver } from './receiver.js';
export type { SyslogReceiver } from './receiver.js';
export { SyslogDeframer, type Frame } from './deframer.js';
export { decodeSyslogMessage, type DecodedMessage } from './message.js';
