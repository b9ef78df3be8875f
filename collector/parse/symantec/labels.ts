// Label spellings that several SEPM syslog families (network, behavior, system) read the same way, folded once.
import { spellings } from './fields.js';

export const BEGIN = spellings(['Begin']);
export const END_TIME = spellings(['End Time', 'End']);
export const DOMAIN_NAME = spellings(['Domain Name', 'Domain']);
export const SEVERITY = spellings(['Severity']);
export const USER_NAME = spellings(['User Name', 'User']);
export const RULE = spellings(['Rule']);
export const EVENT_DESCRIPTION = spellings(['Event Description']);
