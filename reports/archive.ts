// The report archive at the collector: dataDir/reports/<customer>/<YYYY-MM>.pdf. Never overwritten: a report made
// again for the same month is kept beside the first as <YYYY-MM>.v2.pdf, .v3.pdf… (the file mailed stays as sent).
import {
  closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { XpearsError } from '../lib/errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../lib/private-files.js';
import { parseMonthKey } from './month.js';

/** One archived report file. */
export interface ArchivedReport {
  customerId: string;
  month: string;
  /** 1 for <YYYY-MM>.pdf, n for <YYYY-MM>.vn.pdf. */
  version: number;
  path: string;
  bytes: number;
  createdAt: string;
}

const FILE = /^(\d{4}-\d{2})(?:\.v(\d+))?\.pdf$/;
// Customer ids become directory names: refuse anything that could climb out of the archive.
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The archive root under the collector's data directory. */
export function archiveRoot(dataDir: string): string {
  return join(dataDir, 'reports');
}

function customerDir(dataDir: string, customerId: string): string {
  if (!SAFE_ID.test(customerId) || customerId.includes('..')) {
    throw new XpearsError('INVALID_ARGUMENT', `customer id "${customerId}" cannot name an archive folder`);
  }
  return join(archiveRoot(dataDir), customerId);
}

/** The file name of a version: 1 → "2026-10.pdf", 2 → "2026-10.v2.pdf". */
export function reportFileName(month: string, version: number): string {
  return version <= 1 ? `${month}.pdf` : `${month}.v${version}.pdf`;
}

/** Every archived version of one customer-month, oldest first. */
export function archivedVersions(dataDir: string, customerId: string, month: string): ArchivedReport[] {
  return listReports(dataDir).filter((r) => r.customerId === customerId && r.month === month);
}

/** Writes a new version (v1 when none exists); the bytes are fsynced under a temporary name, then linked. */
export function archiveReport(dataDir: string, customerId: string, month: string, pdf: Buffer): ArchivedReport {
  parseMonthKey(month);
  const dir = customerDir(dataDir, customerId);
  makePrivateDir(dir);
  const tmp = join(dir, `.${month}.tmp-${process.pid}`);
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE); // a report is the customer's: 0600 in 0700 folders
  try {
    writeSync(fd, pdf);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // link() fails when the name exists, atomically: two runs racing on one month never replace each other's file.
  let version = 1;
  let path = join(dir, reportFileName(month, version));
  for (;;) {
    try {
      linkSync(tmp, path);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      version++;
      path = join(dir, reportFileName(month, version));
    }
  }
  unlinkSync(tmp);
  const st = statSync(path);
  return { customerId, month, version, path, bytes: st.size, createdAt: st.mtime.toISOString() };
}

/** Every archived report, by customer, month and version. */
export function listReports(dataDir: string): ArchivedReport[] {
  const root = archiveRoot(dataDir);
  if (!existsSync(root)) return [];
  const out: ArchivedReport[] = [];
  for (const customerId of readdirSync(root).sort()) {
    const dir = join(root, customerId);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir)) {
      const m = FILE.exec(name);
      if (!m || !m[1]) continue;
      const path = join(dir, name);
      const st = statSync(path);
      out.push({ customerId, month: m[1], version: m[2] ? Number(m[2]) : 1, path, bytes: st.size,
        createdAt: st.mtime.toISOString() });
    }
  }
  return out.sort((a, b) => a.customerId.localeCompare(b.customerId) || a.month.localeCompare(b.month)
    || a.version - b.version);
}
