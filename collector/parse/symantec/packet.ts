// The SEPM agent packet log (KB 155205 "Agent Packet"): one line per packet the client firewall logged, with host
// name and direction positional: `HOST,Local Host IP: …,Local Port: …,Remote Host IP: …,Remote Host Name: …,
// Remote Port: …,Outbound,Application: …,Action: Blocked`. No rule and no description: what tells it from the
// traffic and security logs. A firewall event like a traffic record; it names no threat.
import type { ParsedEvent } from '../../../protocol/event.js';
import { usableAddress } from '../common/address.js';
import type { ParserInput } from '../types.js';
import { phrase, sepmEvent } from './build.js';
import { spellings } from './fields.js';
import type { SepmFields } from './fields.js';
import { EVENT_DESCRIPTION, RULE } from './labels.js';
import { mapSepmAction } from './vocabulary.js';

// Label spellings, folded once (fields.ts). Some exports write `Local Host:` for `Local Host IP:`.
const LOCAL_HOST = spellings(['Local Host IP', 'Local Host', 'Local']);
const REMOTE_HOST_IP = spellings(['Remote Host IP']);
const REMOTE_PORT = spellings(['Remote Port']);
const ACTION = spellings(['Action']);

const DIRECTIONS = /^(inbound|outbound|unknown|both)$/i;

/** True when a record is a packet-log record. */
export function isPacketRecord(fields: SepmFields): boolean {
  return (
    fields.all[0]?.label === undefined &&
    fields.hasAny(LOCAL_HOST) &&
    fields.hasAny(REMOTE_HOST_IP) &&
    fields.hasAny(ACTION) &&
    !fields.hasAny(RULE) &&
    !fields.hasAny(EVENT_DESCRIPTION)
  );
}

/** Turns one packet-log record into a firewall event: the client firewall blocked or let a packet through. */
export function packetEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const host = fields.all[0]?.value;
  const actionText = fields.getAny(ACTION);
  const mapped = mapSepmAction(actionText);
  const remoteIp = usableAddress(fields.getAny(REMOTE_HOST_IP));
  const remote = remoteIp === undefined ? '' : [remoteIp, fields.getAny(REMOTE_PORT)].filter(Boolean).join(':');
  const direction = fields.positional.slice(1).map((f) => f.value).find((v) => DIRECTIONS.test(v));
  return sepmEvent(input, fields, {
    kind: 'syslog-packet',
    eventType: 'firewall-attack',
    severity: mapped?.action === 'blocked' ? 'low' : 'info',
    computer: { name: host, ip: fields.getAny(LOCAL_HOST) },
    action: mapped?.action,
    actionText,
    handled: mapped?.handled,
    extra: direction === undefined ? undefined : { Direction: direction },
    summary: phrase(
      'Packet',
      (actionText ?? 'logged').toLowerCase(),
      direction?.toLowerCase(),
      remote !== '' && `${direction !== undefined && /^out/i.test(direction) ? 'to' : 'from'} ${remote}`,
      host !== undefined && host !== '' && `on ${host}`,
    ),
  });
}
