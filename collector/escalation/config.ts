// The escalation settings: when to warn before a response target passes, how often to look, and when an agent's
// silence becomes a ticket. Strict: an unknown key or an impossible value fails at start-up with its path.
import cron from 'node-cron';
import { z } from 'zod';
import { CASE_KINDS } from '../../config/plans.js';

/** The escalation section of the collector's configuration, defaults filled in (docs/tickets.md). */
export const escalationConfigSchema = z.strictObject({
  /** Fraction of the response target (business time) after which the on-duty engineers are warned, once. */
  warnAtFraction: z.number().gt(0).lt(1).default(0.75),
  /** How often the scheduler looks (cron, in the calendar's zone). Every minute by default. */
  schedule: z.string().refine((s) => cron.validate(s), 'not a cron expression').default('* * * * *'),
  agentSilence: z.strictObject({
    enabled: z.boolean().default(true),
    /** An agent with no heartbeat for this long opens its "agente sin conexión" ticket. */
    afterMinutes: z.number().int().positive().default(5),
    /** Alerts stop reaching us while the customer's systems still run: Severity 2 by default. */
    caseKind: z.enum(CASE_KINDS).default('severity-2'),
    /** Resolve the ticket by itself when heartbeats resume (the mail says the agent is back). */
    autoResolve: z.boolean().default(true),
  }).prefault({}),
  /** The CAM of each customer (by customer id), until the registry carries it. */
  accountManagers: z.record(z.string(), z.strictObject({
    name: z.string().min(1),
    email: z.email(),
    language: z.enum(['es', 'en']).optional(),
  })).default({}),
});

/** The validated escalation settings. */
export type EscalationConfig = z.output<typeof escalationConfigSchema>;
/** The escalation settings as a person writes them. */
export type EscalationConfigInput = z.input<typeof escalationConfigSchema>;

/** The defaults: warn at 75 %, look every minute, an agent silent for 5 minutes opens a Severity 2 ticket. */
export const DEFAULT_ESCALATION_CONFIG: EscalationConfig = escalationConfigSchema.parse({});
