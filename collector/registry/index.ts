// The registry of customers, contacts and agents.
export { Registry, type RegistryData, type NewCustomer, type CustomerChanges, type ContactChanges } from './registry.js';
export { refusalOf, parseProductSpec, checkPlan, type Refusal, type RefusalReason } from './validate.js';
export { hashToken, newAgentToken, agentIdOfToken, tokenMatches } from './tokens.js';
export * from './types.js';
