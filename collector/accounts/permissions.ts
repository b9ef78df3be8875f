// What each role may do. Checked on the server for every action; the pages only hide what a role may not use.
import type { Role } from './types.js';

/** The actions the console guards. */
export type Permission = 'view' | 'ticket.act' | 'ticket.reopen' | 'advisory.review' | 'notification.retry' | 'report.generate' | 'customer.edit'
  | 'user.admin' | 'noise.manage';

const GRANTS: Record<Role, readonly Permission[]> = {
  'read-only': ['view'],
  l1: ['view', 'ticket.act'],
  l2: ['view', 'ticket.act', 'ticket.reopen', 'advisory.review', 'notification.retry', 'report.generate', 'noise.manage'],
  l3: ['view', 'ticket.act', 'ticket.reopen', 'advisory.review', 'notification.retry', 'report.generate', 'noise.manage'],
  lead: ['view', 'ticket.act', 'ticket.reopen', 'advisory.review', 'notification.retry', 'report.generate', 'customer.edit', 'user.admin', 'noise.manage'],
};

/** Whether a role may do something. */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
