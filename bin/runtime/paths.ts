// Where the collector keeps its files, derived from its data folder.
import { join } from 'node:path';
import type { CollectorConfig } from '../../collector/config.js';

/** The collector's files. */
export function collectorPaths(config: Pick<CollectorConfig, 'dataDir' | 'adminTokenFile'>) {
  return {
    database: join(config.dataDir, 'collector.db'),
    registry: join(config.dataDir, 'registry.json'),
    adminToken: config.adminTokenFile ?? join(config.dataDir, 'admin.token'),
    reports: join(config.dataDir, 'reports'),
  };
}
