// A test-owned Dovecot IMAP server on loopback: its own config file, a passwd-file user and a Maildir in a temp
// folder, an ephemeral port; no system service. Debian's dovecot-imapd (installed by .ci/run).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { reached } from './eventually.js';

/** A running Dovecot. */
export interface TestDovecot {
  port: number;
  user: string;
  pass: string;
  dir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const canConnect = (port: number): Promise<boolean> => new Promise((resolve) => {
  const c = connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
  c.once('error', () => resolve(false));
});

/** Starts Dovecot in the foreground on 127.0.0.1 with one user (soporte / secret). */
export async function startDovecot(): Promise<TestDovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'dovecot-'));
  const port = await freePort();
  const me = userInfo();
  // Dovecot never serves mail as root: as root, mail belongs to nobody.
  const uid = me.uid === 0 ? 65534 : me.uid;
  const gid = me.uid === 0 ? 65534 : me.gid;
  const owner = me.uid === 0 ? 'dovecot' : me.username;
  const login = me.uid === 0 ? 'dovenull' : me.username;
  // Dovecot's own users (auth, mail) must reach the passwd file and the Maildir.
  chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'home']) mkdirSync(join(dir, d), { recursive: true });
  if (me.uid === 0) chownSync(join(dir, 'home'), uid, gid);
  writeFileSync(join(dir, 'passwd'), 'soporte:{PLAIN}secret::::::\n');
  writeFileSync(join(dir, 'dovecot.conf'), `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${owner}
default_internal_group = ${me.uid === 0 ? 'dovecot' : (me.username)}
default_login_user = ${login}
first_valid_uid = ${uid}
last_valid_uid = ${uid}
mail_location = maildir:${dir}/home/%u/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0660
  }
}
`);
  const child: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await reached(() => canConnect(port), 15_000);
  return {
    port, user: 'soporte', pass: 'secret', dir,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
