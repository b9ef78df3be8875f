// The `tickets` section of the collector's configuration: which rules file, the language tickets are written in, and
// the engineers of levels 2 and 3. Strict: a misspelt key fails at start-up with its path.
import { z } from 'zod';
import { XpearsError } from '../../lib/errors.js';
import { onDutyEngineerSchema } from '../notify/config.js';

/** The `tickets` section, defaults filled in. */
export const ticketsConfigSchema = z.strictObject({
  /** A rules file replacing config/rules.default.yaml as a whole (YAML or JSON). */
  rulesFile: z.string().min(1).optional(),
  /** The language titles and descriptions are stored in; each contact's mail is in their own. */
  language: z.enum(['es', 'en']).default('es'),
  /** Engineers told when a ticket reaches their level. */
  levels: z.strictObject({
    L2: z.array(onDutyEngineerSchema).default([]),
    L3: z.array(onDutyEngineerSchema).default([]),
  }).prefault({}),
});

/** The validated `tickets` section. */
export type TicketsConfig = z.output<typeof ticketsConfigSchema>;
/** The `tickets` section as a person writes it. */
export type TicketsConfigInput = z.input<typeof ticketsConfigSchema>;

/** Validates the section; throws CONFIG_INVALID listing every problem with its dotted path. */
export function parseTicketsConfig(input: unknown, prefix = 'tickets'): TicketsConfig {
  const result = ticketsConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new XpearsError('CONFIG_INVALID', `the ticket settings are not valid:\n  ${problems.join('\n  ')}`, problems);
  }
  return Object.freeze(result.data);
}
