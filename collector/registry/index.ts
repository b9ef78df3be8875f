// The registry of customers, contacts and agents.
export { Registry, type RegistryData, type NewCustomer } from './registry.js';
export { hashToken, newAgentToken, agentIdOfToken, tokenMatches } from './tokens.js';
export * from './types.js';
