// The one attachment policy of cases, for the mailbox and the portal alike: a file larger than the configured size, an
// executable, or an archive that holds one (or cannot be listed) is refused with a reason in the reader's language;
// an accepted file is written once by its SHA-256 under the attachments directory (mode 0600).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../../lib/people.js';
import { refusalOf } from './inbound.js';

/** Why a file is refused. */
export type RefusalReason = NonNullable<ReturnType<typeof refusalOf>>;

/** The reasons as a contact reads them. */
export const REFUSAL_REASONS: Record<RefusalReason, Record<Language, string>> = {
  'too-large': { es: 'supera el tamaño permitido', en: 'exceeds the allowed size' },
  executable: { es: 'es un ejecutable', en: 'is an executable' },
  'archive-with-executable': { es: 'es un archivo comprimido que contiene un ejecutable', en: 'is an archive that contains an executable' },
  'archive-unreadable': { es: 'es un archivo comprimido que no podemos revisar', en: 'is an archive we cannot inspect' },
};

/** A file as received (mail part or form upload). */
export interface IncomingFile {
  filename?: string | null;
  contentType?: string | null;
  content: Buffer;
  /** Set when the upload was cut at the size limit: refused as too large whatever was kept. */
  truncated?: boolean;
}

/** An accepted file, written to disk. */
export interface AcceptedFile { name: string; contentType: string; size: number; sha256: string; path: string }

/** A refused file and why. */
export interface RefusedFile { name: string; why: RefusalReason }

/** The lines telling a contact which files were refused and why ("- name: reason"). */
export function refusalLines(refused: readonly RefusedFile[], language: Language): string {
  return refused.map((r) => `- ${r.name}: ${REFUSAL_REASONS[r.why][language]}`).join('\n');
}

/** Screens and stores attachments: the size limit and the refusal rules in one place. */
export class AttachmentPolicy {
  constructor(readonly maxBytes: number, readonly dir: string) {}

  /** Accepted files are written (by SHA-256, idempotent); refused ones are listed with their reasons. */
  screen(files: readonly IncomingFile[]): { accepted: AcceptedFile[]; refused: RefusedFile[] } {
    const accepted: AcceptedFile[] = [];
    const refused: RefusedFile[] = [];
    for (const f of files) {
      const name = (f.filename || 'adjunto').replace(/[\\/\0]/g, '_').slice(0, 200);
      const why = f.truncated ? 'too-large' : refusalOf({ filename: name, content: f.content }, this.maxBytes);
      if (why) { refused.push({ name, why }); continue; }
      const sha256 = createHash('sha256').update(f.content).digest('hex');
      const sub = join(this.dir, sha256.slice(0, 2));
      const path = join(sub, sha256);
      mkdirSync(sub, { recursive: true });
      if (!existsSync(path)) writeFileSync(path, f.content, { mode: 0o600 });
      accepted.push({ name, contentType: f.contentType || 'application/octet-stream', size: f.content.length, sha256, path });
    }
    return { accepted, refused };
  }
}
