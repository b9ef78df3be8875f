// The SNMP trap receiver.
export { createSnmpReceiver } from './receiver.js';
export { snmpReceiverConfigSchema, type SnmpReceiverConfig } from './config.js';
export { snmpCaptureFromPdu, decodeVarbind } from './decode.js';
