// The registry's lock file: one editor at a time, whichever process it is (the CLI, the console in the collector).
import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../../lib/private-files.js';
import { refuse } from './validate.js';

/** Takes an exclusive lock file (created with O_EXCL), waited for up to 10 s; one older than 30 s is a crashed
 *  editor's and is taken over. Returns the function that lets it go. */
export async function lockFile(path: string): Promise<() => void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
      return () => { try { unlinkSync(path); } catch { /* gone already */ } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try { if (Date.now() - statSync(path).mtimeMs > 30_000) unlinkSync(path); } catch { /* released meanwhile */ }
      if (Date.now() > deadline) throw refuse('STATE_CONFLICT', 'locked', `the registry is locked by another editor (${path}); try again`);
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
    }
  }
}
