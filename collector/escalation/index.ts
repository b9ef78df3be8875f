// The escalation stage's public face: its settings and the scheduler the collector starts.
export { escalationConfigSchema, DEFAULT_ESCALATION_CONFIG, type EscalationConfig, type EscalationConfigInput } from './config.js';
export { EscalationScheduler, type EscalationSchedulerDeps, type TickReport } from './scheduler.js';
export { checkAgentSilence, agentSilenceKey, isSilent, type LastHeartbeats, type SilenceReport } from './agent-silence.js';
