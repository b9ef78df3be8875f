// What `xpears config check` does, as functions: guess whether a configuration is an agent's or a collector's, and
// validate it with that strict schema (every problem with its path). The docs' examples test uses the same code.
import { agentConfigSchema } from '../agent/config.js';
import { collectorConfigSchema } from '../collector/config.js';
import { validateConfig } from '../config/load.js';

/** The kinds of configuration file `config check` knows. */
export type ConfigKind = 'agent' | 'collector';

/** An agent's file has both `collector` (where to send) and `receivers`; anything else is taken as a collector's. */
export function guessConfigKind(value: unknown): ConfigKind {
  return value && typeof value === 'object' && 'collector' in value && 'receivers' in value ? 'agent' : 'collector';
}

/** Validates a parsed configuration of `kind` (guessed when absent); throws CONFIG_INVALID listing every problem.
 *  Returns the kind it was checked as. */
export function checkConfigValue(value: unknown, source: string, kind?: ConfigKind): ConfigKind {
  const checked = kind ?? guessConfigKind(value);
  validateConfig(checked === 'agent' ? agentConfigSchema : collectorConfigSchema, value, source);
  return checked;
}
