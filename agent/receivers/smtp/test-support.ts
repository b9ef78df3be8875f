// Test parts shared by the receiver tests: a sink that records what it is given (the seam to the outbox, not a
// stand-in for a socket or a client) and a self-signed certificate made by the real openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capture } from '../../../protocol/envelope.js';
import { XpearsError } from '../../../lib/errors.js';
import type { CaptureSink } from '../types.js';

/** A CaptureSink that keeps every capture, or refuses like a full outbox when `refusing` is set. */
export class RecordingSink implements CaptureSink {
  readonly captures: Capture[] = [];
  refusing = false;
  private waiters: { count: number; resolve: () => void }[] = [];

  /** Stores the capture and answers an id, or rejects with OUTBOX_REFUSING. */
  capture(capture: Capture): Promise<string> {
    if (this.refusing) return Promise.reject(new XpearsError('OUTBOX_REFUSING'));
    this.captures.push(capture);
    this.waiters = this.waiters.filter((w) => {
      if (this.captures.length < w.count) return true;
      w.resolve();
      return false;
    });
    return Promise.resolve(`00000000-0000-7000-8000-${String(this.captures.length).padStart(12, '0')}`);
  }

  /** Resolves once `count` captures arrived (for datagrams, which have no reply to wait for). */
  waitFor(count: number): Promise<void> {
    if (this.captures.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

/** A temporary directory with a fresh self-signed certificate for 127.0.0.1; `cleanup` removes it. */
export function makeSelfSignedCert(): { dir: string; certFile: string; keyFile: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { dir, certFile, keyFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
