// The inbound firewall rules a configuration needs (install.ps1 creates them on Windows): one per receiver listener
// bound beyond loopback, open only to that receiver's allowed networks. A receiver on 127.0.0.1 gets no rule.
import type { AgentConfig } from '../agent/config.js';

/** One inbound rule. */
export interface FirewallRule {
  name: string;
  protocol: 'UDP' | 'TCP';
  port: number;
  remote: string[];
}

const isLoopback = (host: string): boolean => host === 'localhost' || host.startsWith('127.') || host === '::1';

/** The rules for a validated agent configuration. */
export function firewallPlan(config: AgentConfig): FirewallRule[] {
  const rules: FirewallRule[] = [];
  const add = (name: string, protocol: 'UDP' | 'TCP', host: string, port: number, allowed: readonly string[]) => {
    const remote = allowed.filter((n) => !isLoopback(n.split('/')[0]!));
    if (!isLoopback(host) && remote.length > 0) rules.push({ name, protocol, port, remote });
  };
  const { snmp, smtp, syslog } = config.receivers;
  if (snmp && snmp.enabled !== false) add('snmp', 'UDP', snmp.address, snmp.port, snmp.allowedNetworks);
  if (smtp) add('smtp', 'TCP', smtp.host, smtp.port, smtp.allowedNetworks);
  if (syslog) {
    const s = syslog as unknown as Record<string, { host: string; port: number } | undefined> & { allowedNetworks: string[] };
    if (s.udp) add('syslog-udp', 'UDP', s.udp.host, s.udp.port, s.allowedNetworks);
    if (s.tcp) add('syslog-tcp', 'TCP', s.tcp.host, s.tcp.port, s.allowedNetworks);
    if (s.tls) add('syslog-tls', 'TCP', s.tls.host, s.tls.port, s.allowedNetworks);
  }
  return rules;
}
