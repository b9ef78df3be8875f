// Starting a worker thread from one of our modules, built or not.
import { Worker } from 'node:worker_threads';

/**
 * Starts `moduleUrl` (the `.js` of a built module, or the `.ts` source under tsx) in a worker thread. A worker's entry
 * is loaded before `--import` hooks apply, so for a source file a small bootstrap registers tsx's loader first.
 */
export function startModuleWorker(moduleUrl: URL, name: string, workerData?: unknown, youngGenerationMb?: number): Worker {
  const options = {
    name, ...(workerData === undefined ? {} : { workerData }),
    ...(youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } } : {}),
  };
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** The URL of a sibling module of `from` (an import.meta.url), with the extension `from` has (`.ts` or `.js`). */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}
