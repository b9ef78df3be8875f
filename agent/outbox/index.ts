// The agent's durable outbox.
export { Outbox, type OutboxOptions, type OutboxItem, type OutboxStats } from './outbox.js';
