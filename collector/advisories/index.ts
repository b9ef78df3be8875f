// The advisory module's public face: the service, its configuration, its migrations and its commands.
export { AdvisoryService, type AdvisoryServiceDeps, type SourceStatus } from './service.js';
export {
  advisoriesConfigSchema, advisorySourceSchema, parseAdvisoriesConfig, defaultAdvisoriesConfig,
  type AdvisoriesConfig, type AdvisoriesConfigInput, type AdvisorySource,
} from './config.js';
export { migrations as advisoryMigrations, type AdvisoryFilter, type Delivery, type DeliveryRecipient, type RelayPass, type SourceState } from './store.js';
export type { PollReport, PolledAdvisory, SourcePollResult } from './poller.js';
export type { DigestReport } from './digest.js';
export * from './commands.js';
export { advisoryTemplates } from './templates.js';
export * from './types.js';
