// Noise control as the pipeline and the agent-silence check reach it: the store on the tickets' database and the
// settings. A pipeline given no settings uses the documented defaults.
import type { Db } from '../store/db.js';
import { DEFAULT_NOISE_CONFIG, type NoiseConfig } from './config.js';
import { NoiseStore } from './store.js';

/** The store and settings of noise control. */
export interface NoiseContext {
  store: NoiseStore;
  config: NoiseConfig;
}

const byDb = new WeakMap<Db, NoiseContext>();

/** The noise context of a database: created once with `config` (or the defaults) and reused. */
export function noiseFor(db: Db, config?: NoiseConfig): NoiseContext {
  let ctx = byDb.get(db);
  if (!ctx || (config && ctx.config !== config)) {
    ctx = { store: new NoiseStore(db), config: config ?? ctx?.config ?? DEFAULT_NOISE_CONFIG };
    byDb.set(db, ctx);
  }
  return ctx;
}

/** The noise context of a pipeline context: its own, or its ticket database's. */
export function noiseOf(ctx: { noise?: NoiseContext; service: { deps: { db: Db } } }): NoiseContext {
  return ctx.noise ?? noiseFor(ctx.service.deps.db);
}
