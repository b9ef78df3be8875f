// The tickets' public face: what the composition root constructs (migrations, service, routes) and the CLI calls.
export { migrations, TICKET_STATES, OPEN_STATES, LEVELS, type TicketState, type Level } from './migrations.js';
export { TicketService, type TicketServiceDeps, type TicketDetail, type AccountManager } from './service.js';
export { TicketRepository, type Ticket, type TicketHistoryEntry, type TicketComputer, type TicketFilter } from './repository.js';
export { dedupKey, correlate, type CorrelationInput, type CorrelationResult } from './correlate.js';
export { registerTicketRoutes } from './routes.js';
export { ticketList, ticketShow, ticketAck, ticketEscalate, ticketResolve, ticketClose, formatTicketLine,
  type TicketListOptions, type TicketActionOptions, type CommandResult } from './commands.js';
export { ticketTemplates } from './templates.js';
export { designatedContacts, formatInstant, type Recipient } from './describe.js';
