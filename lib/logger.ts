// The root pino logger: JSON by default, pretty on a terminal, secrets redacted wherever they hide.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Paths redacted in every log line: tokens, passwords, keys, community strings. */
export const REDACT_PATHS = [
  'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'password', '*.password', '*.*.password', 'pass', '*.pass', '*.*.pass', 'authKey', '*.authKey', '*.*.authKey',
  'privKey', '*.privKey', '*.*.privKey', 'community', '*.community', 'communities', '*.communities',
  'secret', '*.secret', '*.*.secret', 'adminToken', '*.adminToken', 'agentToken', '*.agentToken',
];

/** A URL or path with every query-string value redacted (`/v1/events?token=[redacted]`): a secret put in a query
 *  string is never logged. */
export function redactUrl(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url.slice(q + 1).split('&').map((p) => `${p.split('=')[0]}=[redacted]`);
  return `${url.slice(0, q)}?${params.join('&')}`;
}

// Fields that hold URLs (fastify's `req`, the handlers' `url`) go through redactUrl.
const serializers = {
  url: redactUrl,
  req: (req: { method?: string; url?: string; [k: string]: unknown }) => ({ method: req.method, url: redactUrl(req.url) }),
};

export interface LoggerOptions {
  level?: string;
  /** Pretty-print for a person; default: when stdout is a terminal. */
  pretty?: boolean;
  destination?: DestinationStream;
  name?: string;
}

/** Builds the root logger of a process. Components take `root.child({ component })`. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.XPEARS_LOG_LEVEL ?? 'info';
  const base = { name: opts.name ?? 'xpears' };
  const redact = { paths: REDACT_PATHS, censor: '[redacted]' };
  if (opts.destination) return pino({ level, base, redact, serializers }, opts.destination);
  const pretty = opts.pretty ?? (process.stdout.isTTY === true && process.env.CI !== 'true');
  if (pretty) {
    return pino({ level, base, redact, serializers, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,name' } } });
  }
  return pino({ level, base, redact, serializers });
}

/** A logger that writes nothing: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
