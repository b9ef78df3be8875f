// Data at rest is the provider's and its customers' alone (issue 13): folders 0700, files 0600. The CLI narrows the
// process umask before anything is written (bin/umask.ts), so every file the product makes (databases with their
// WAL and SHM, the registry, tokens, generated configurations, archived reports) is born private; the writers that
// matter most also set the mode themselves. `exposedPaths` finds what is open to other users anyway.
import { lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The mode of a data folder. */
export const PRIVATE_DIR_MODE = 0o700;
/** The mode of a data file. */
export const PRIVATE_FILE_MODE = 0o600;

/** Makes new files and folders of this process private (group and others get nothing). Main thread only. */
export function restrictUmask(): void {
  process.umask(0o077);
}

/** Creates a folder (and its missing parents) with mode 0700; an existing one is left as it is. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** A file or folder other users can reach, and its permission bits. */
export interface ExposedPath {
  path: string;
  mode: number;
}

/** Every file or folder under `roots` (each walked, at most `maxEntries` looked at) that gives group or others any
 *  permission. Missing roots are skipped; symbolic links are not followed. */
export function exposedPaths(roots: readonly string[], maxEntries = 20_000): ExposedPath[] {
  const exposed: ExposedPath[] = [];
  let seen = 0;
  const visit = (path: string): void => {
    if (++seen > maxEntries) return;
    let st;
    try { st = lstatSync(path); } catch { return; }
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) exposed.push({ path, mode: st.mode & 0o777 });
    if (!st.isDirectory()) return;
    let names: string[];
    try { names = readdirSync(path); } catch { return; }
    for (const name of names) visit(join(path, name));
  };
  for (const root of new Set(roots)) visit(root);
  return exposed;
}
