// The accounts' public face: the store, roles, the login throttle.
export { AccountStore, parseRole } from './store.js';
export { LoginThrottle, type ThrottleLimits } from './throttle.js';
export { DEFAULT_SESSION_LIMITS, type SessionLimits } from './sessions.js';
export { accountMigrations } from './migrations.js';
export { MIN_PASSWORD_LENGTH } from './passwords.js';
export { can, type Permission } from './permissions.js';
export { ROLES, type Role, type User, type NewUser, type AuditEntry, type SessionInfo, type ApiTokenInfo, type Actor } from './types.js';
