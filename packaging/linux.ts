// The Linux x64 packages: a tarball (install.sh, any distribution with systemd) and a .deb built with dpkg-deb from
// a staging tree. Both carry the same payload: the Node runtime, the bundled agent and the systemd unit.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './bundle.js';
import { extractMember } from './runtime.js';

const HERE = join(REPO, 'packaging', 'linux');

/** What both Linux packages are built from. */
export interface LinuxInputs {
  version: string;
  bundle: string;
  nodeTarball: string;
  exampleConfig: string;
  docs: string;
  /** An enrolment (packaging/enrol.ts): configuration and token put in the package. */
  enrolment?: { config: string; token: string };
}

/** Writes the payload (what lands in /opt/xpears-agent/<version>) into `dir`. */
export function stagePayload(dir: string, o: LinuxInputs): void {
  for (const sub of ['bin', 'lib', 'share']) mkdirSync(join(dir, sub), { recursive: true });
  extractMember(o.nodeTarball, 'package/bin/node', join(dir, 'bin/node'));
  extractMember(o.nodeTarball, 'package/LICENSE', join(dir, 'share/NODE-LICENSE'));
  chmodSync(join(dir, 'bin/node'), 0o755);
  copyFileSync(o.bundle, join(dir, 'lib/agent.mjs'));
  for (const f of ['xpears-agent', 'xpears-agent-upgrade']) {
    copyFileSync(join(HERE, f), join(dir, 'bin', f));
    chmodSync(join(dir, 'bin', f), 0o755);
  }
  copyFileSync(join(HERE, 'xpears-agent.service'), join(dir, 'share/xpears-agent.service'));
  writeFileSync(join(dir, 'share/agent.yaml.example'), o.exampleConfig);
  copyFileSync(o.docs, join(dir, 'share/install-agent.md'));
  writeFileSync(join(dir, 'share/VERSION'), `${o.version}\n`);
  if (o.enrolment) {
    mkdirSync(join(dir, 'share/enrolment'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'share/enrolment/agent.yaml'), o.enrolment.config, { mode: 0o600 });
    writeFileSync(join(dir, 'share/enrolment/token'), `${o.enrolment.token}\n`, { mode: 0o600 });
  }
}

/** Builds xpears-agent-<version>-linux-x64.tar.gz in outDir; returns its path. */
export function buildTarball(outDir: string, work: string, o: LinuxInputs, suffix = ''): string {
  const name = `xpears-agent-${o.version}-linux-x64${suffix}`;
  const top = join(work, name);
  rmSync(top, { recursive: true, force: true });
  stagePayload(top, o);
  copyFileSync(join(HERE, 'install.sh'), join(top, 'install.sh'));
  chmodSync(join(top, 'install.sh'), 0o755);
  const file = join(outDir, `${name}.tar.gz`);
  execFileSync('tar', ['-I', 'gzip -1', '-cf', file, '--owner=0', '--group=0', '-C', work, name]);
  return file;
}

function controlFile(version: string): string {
  return [
    'Package: xpears-agent', `Version: ${version}`, 'Architecture: amd64', 'Section: net', 'Priority: optional',
    'Maintainer: xpears <soporte@xpears.com.ar>', 'Depends: passwd, systemd',
    'Description: xpears-relay agent for ESET PROTECT and Symantec SEPM servers',
    ' Captures the console\'s SNMP traps, mails and syslog and forwards them to the xpears collector.',
    ' Self-contained: carries its own Node.js runtime; no compiler or npm needed.', '',
  ].join('\n');
}

/** Builds xpears-agent_<version>_amd64.deb in outDir with dpkg-deb; returns its path. */
export function buildDeb(outDir: string, work: string, o: LinuxInputs): string {
  const tree = join(work, `deb-${o.version}`);
  rmSync(tree, { recursive: true, force: true });
  stagePayload(join(tree, 'opt/xpears-agent', o.version), o);
  mkdirSync(join(tree, 'lib/systemd/system'), { recursive: true });
  copyFileSync(join(HERE, 'xpears-agent.service'), join(tree, 'lib/systemd/system/xpears-agent.service'));
  mkdirSync(join(tree, 'usr/bin'), { recursive: true });
  symlinkSync('/opt/xpears-agent/current/bin/xpears-agent', join(tree, 'usr/bin/xpears-agent'));
  mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
  writeFileSync(join(tree, 'DEBIAN/control'), controlFile(o.version));
  for (const script of ['postinst', 'prerm', 'postrm']) {
    const text = readFileSync(join(HERE, 'deb', script), 'utf8').replaceAll('@VERSION@', o.version);
    writeFileSync(join(tree, 'DEBIAN', script), text, { mode: 0o755 });
  }
  const file = join(outDir, `xpears-agent_${o.version}_amd64.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '--build', tree, file], { stdio: 'pipe' });
  return file;
}
