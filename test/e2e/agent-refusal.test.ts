// A full outbox makes the agent refuse captures loudly: log line, metric, status problem; informs go unanswered.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { startAgent } from '../../agent/index.js';
import { createLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import { agentConfigFor, freeUdpPort, tempDir } from './harness.js';

const run = promisify(execFile);

describe('agent with a full outbox', () => {
  it('refuses new captures and says so in the log, the metrics and the status', async () => {
    const dir = tempDir('xpears-refuse-');
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }) as never, level: 'info' });
    const snmpPort = await freeUdpPort();
    // No collector listens on port 9: everything stays in the outbox, which holds about two envelopes.
    const config = agentConfigFor(join(dir.path, 'agent'), 'http://127.0.0.1:9', 'xpr_acme-a1_' + 'x'.repeat(43), snmpPort, { outbox: { maxBytes: 1200 } });
    const agent = await startAgent(config, { logger, clock: systemClock });
    try {
      const inform = (text: string) => run('snmpinform', ['-v', '2c', '-c', 'public-test', '-r', '0', '-t', '1', `127.0.0.1:${snmpPort}`, '', '1.3.6.1.4.1.5706.3.1.0.1', '1.3.6.1.4.1.5706.3.1.1.1', 's', text])
        .then(() => 'answered', () => 'unanswered');
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await inform(`capture ${i} ${'y'.repeat(200)}`));
      expect(results[0]).toBe('answered');
      expect(results.at(-1)).toBe('unanswered');
      const answered = results.filter((r) => r === 'answered').length;
      expect(agent.outbox.stats().depth).toBe(answered);

      const status = agent.status();
      expect(status.outbox.refusing).toBe(true);
      expect(status.problems[0]).toMatch(/outbox refuses captures/);
      const metrics = await (await request(`http://127.0.0.1:${agent.statusPort}/metrics`)).body.text();
      expect(metrics).toMatch(/xpears_agent_outbox_refusing 1/);
      expect(metrics).toMatch(/xpears_agent_receiver_rejected_total\{receiver="snmp",reason="outbox"\} [1-9]/);
      const statusDoc = (await (await request(`http://127.0.0.1:${agent.statusPort}/status`)).body.json()) as { problems: string[] };
      expect(statusDoc.problems.join('\n')).toMatch(/outbox refuses/);
      expect(lines.some((l) => l.includes('outbox refusing captures') && l.includes('"level":50'))).toBe(true);
      // The token never reaches a log line.
      expect(lines.join('')).not.toContain('x'.repeat(43));
    } finally {
      await agent.stop();
      dir.cleanup();
    }
  });
});
