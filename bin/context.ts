// What the collector-side commands share: the configuration (a file, or the embedded defaults) and its files.
import { existsSync } from 'node:fs';
import { collectorConfigSchema, type CollectorConfig } from '../collector/config.js';
import { loadConfigFile, validateConfig } from '../config/load.js';
import { Registry } from '../collector/registry/index.js';
import { resolvePlans, type PlanOverrides } from '../config/plans.js';
import { collectorPaths } from './runtime/paths.js';
import { openCollectorDatabase } from './runtime/migrations.js';
import type { Db } from '../collector/store/db.js';

/** Where `npm start` writes the configuration it runs with, so later commands see the same settings. */
export const DEMO_CONFIG_FILE = './data/collector.json';

/** The collector configuration: --config, else $XPEARS_COLLECTOR_CONFIG, else ./data/collector.json when `npm start`
 *  wrote one, else the embedded defaults (data in ./data/collector). */
export function collectorConfig(file?: string): Readonly<CollectorConfig> {
  const path = file ?? process.env.XPEARS_COLLECTOR_CONFIG ?? (existsSync(DEMO_CONFIG_FILE) ? DEMO_CONFIG_FILE : undefined);
  if (path) return loadConfigFile(collectorConfigSchema, path);
  return validateConfig(collectorConfigSchema, {}, 'the embedded defaults');
}

/** Opens the registry of the configured collector. */
export async function openRegistry(config: Readonly<CollectorConfig>): Promise<Registry> {
  return Registry.open(collectorPaths(config).registry, resolvePlans(config.plans as PlanOverrides));
}

/** Opens the collector's database (creating its tables when new). */
export function openDb(config: Readonly<CollectorConfig>): Db {
  return openCollectorDatabase(config);
}

/** True when the collector has data at all (for friendlier messages). */
export function hasCollectorData(config: Readonly<CollectorConfig>): boolean {
  return existsSync(collectorPaths(config).database) || existsSync(collectorPaths(config).registry);
}
