// The console's two static files (client script, style sheet), read once from collector/web/static: beside this
// module when run from source, or from the source tree when run from dist/ (tsc copies no assets).
import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XpearsError } from '../../lib/errors.js';
import { BASE } from './layout.js';

const FILES: Record<string, string> = { 'console.js': 'text/javascript; charset=utf-8', 'console.css': 'text/css; charset=utf-8' };

function staticDir(): string {
  const candidates = [join(import.meta.dirname, 'static'), join(import.meta.dirname, '../../../collector/web/static')];
  const found = candidates.find((d) => existsSync(join(d, 'console.js')));
  if (!found) throw new Error(`the console's static files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** GET /console/static/console.js and console.css, cached by the browser for an hour. */
export function registerStatic(app: FastifyInstance): void {
  const dir = staticDir();
  const contents = new Map(Object.keys(FILES).map((f) => [f, readFileSync(join(dir, f))]));
  app.get<{ Params: { file: string } }>(`${BASE}/static/:file`, async (req, reply) => {
    const body = contents.get(req.params.file);
    if (!body) throw new XpearsError('NOT_FOUND');
    return reply.type(FILES[req.params.file]!).header('cache-control', 'private, max-age=3600').send(body);
  });
}
