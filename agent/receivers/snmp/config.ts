// Settings of the SNMP trap receiver: where it listens and whom it believes.
import { z } from 'zod';
import { cidrListSchema } from '../net.js';

/** One SNMPv3 user (USM). Keys are secrets: they never reach a log or an envelope. */
export const snmpV3UserSchema = z.object({
  name: z.string().min(1),
  level: z.enum(['authNoPriv', 'authPriv']),
  authProtocol: z.enum(['sha', 'sha224', 'sha256', 'sha384', 'sha512']).default('sha'),
  authKey: z.string().min(8, 'SNMPv3 keys have at least 8 characters (RFC 3414)'),
  privProtocol: z.enum(['aes', 'aes256b', 'aes256r']).default('aes'),
  privKey: z.string().min(8, 'SNMPv3 keys have at least 8 characters (RFC 3414)').optional(),
}).strict().superRefine((u, ctx) => {
  if (u.level === 'authPriv' && !u.privKey) ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'authPriv needs a privKey' });
});

/** The SNMP receiver's settings. */
export const snmpReceiverConfigSchema = z.object({
  enabled: z.boolean().default(true),
  address: z.string().default('0.0.0.0'),
  port: z.number().int().min(0).max(65_535).default(162),
  /** v1/v2c communities accepted. Traps with another community are counted and dropped. */
  communities: z.array(z.string().min(1)).default([]),
  /** SNMPv3 users accepted. */
  users: z.array(snmpV3UserSchema).default([]),
  /** The agent's engine ID for v3 (hex); random when not set. Informs are answered with it. */
  engineId: z.string().regex(/^[0-9a-fA-F]{10,64}$/).optional(),
  /** Networks a console may send from; traps and informs from elsewhere are dropped unanswered and counted. */
  allowedNetworks: cidrListSchema.default(['127.0.0.1/32', '::1/128']),
  /** An inform repeated by its sender within this many seconds (same source, engine, request id and varbinds) is
   *  answered again but not stored again, also across a restart of the agent. 0 turns this off. */
  informRetryWindowSeconds: z.number().int().min(0).max(7 * 86_400).default(600),
  /** Kernel receive buffer asked for, in bytes (bursts of traps wait there while a group is written). */
  receiveBufferBytes: z.number().int().positive().default(8 * 1024 * 1024),
}).strict();
export type SnmpReceiverConfig = z.infer<typeof snmpReceiverConfigSchema>;
