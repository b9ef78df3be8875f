// Noise control's settings (docs/noise.md): how long a silence may last and stays listed after it ends, and when a
// customer's events become one outbreak incident instead of a ticket each.
import { z } from 'zod';

/** The `noise` section of the collector's configuration; every value has a documented default. */
export const noiseConfigSchema = z.object({
  silences: z.object({
    /** The longest a silence may last, in hours (a week). */
    maxHours: z.number().int().min(1).max(24 * 90).default(168),
    /** How long an ended silence stays in `collector status`, in hours. */
    listAfterEndHours: z.number().int().min(0).max(24 * 30).default(24),
  }).strict().prefault({}),
  storm: z.object({
    enabled: z.boolean().default(true),
    /** Once this many other computers of one customer opened a ticket of one threat (or kind) within the window… */
    threshold: z.number().int().min(1).max(1000).default(1),
    windowMinutes: z.number().int().min(1).max(24 * 60).default(10),
    /** …become one incident; a contact gets at most one update mail of it per this many minutes. */
    mailIntervalMinutes: z.number().int().min(1).max(24 * 60).default(30),
  }).strict().prefault({}),
}).strict();
export type NoiseConfig = z.infer<typeof noiseConfigSchema>;

/** The defaults, for tools and tests that read no file. */
export const DEFAULT_NOISE_CONFIG: NoiseConfig = noiseConfigSchema.parse({});
