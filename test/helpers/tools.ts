// Checks that a Debian tool a test drives can do what the test needs, and says which package is missing when not.
import { spawnSync } from 'node:child_process';

/** Throws a message naming the package to install when swaks cannot speak STARTTLS (it needs Net::SSLeay). */
export function assertSwaksCanTls(): void {
  // swaks prints what it supports on stdout and what it lacks on stderr.
  const run = spawnSync('swaks', ['--support'], { encoding: 'utf8' });
  if (run.error) throw new Error('swaks is not installed: apt-get install swaks libnet-ssleay-perl (.ci/run does)');
  const tls = `${run.stdout}\n${run.stderr}`.split('\n').find((line) => /\bTLS\b/.test(line))?.trim() ?? 'no TLS line';
  if (!/TLS supported/i.test(tls)) {
    throw new Error(`swaks cannot speak STARTTLS (${tls}): apt-get install libnet-ssleay-perl (.ci/run does)`);
  }
}
