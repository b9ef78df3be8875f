// The part of net-snmp's untyped API the SNMP receiver uses.
declare module 'net-snmp' {
  import type { Socket, RemoteInfo } from 'node:dgram';
  export interface RawVarbind { oid: string; type: number; value: unknown }
  export interface RawPdu {
    type: number;
    id?: number;
    varbinds: RawVarbind[];
    enterprise?: string;
    agentAddr?: string;
    generic?: number;
    specific?: number;
    upTime?: number;
    contextEngineID?: Buffer;
  }
  export interface RawMessage {
    version: number;
    community?: string;
    user?: { name: string; level: number };
    pdu: RawPdu;
    buffer: Buffer | null;
    report?: boolean;
    original?: RawMessage;
    errorType?: string;
    msgGlobalData?: { msgID: number; msgFlags: number };
    msgSecurityParameters?: {
      msgAuthoritativeEngineID: Buffer;
      msgAuthoritativeEngineBoots: number;
      msgAuthoritativeEngineTime: number;
      msgUserName: string;
      msgAuthenticationParameters: Buffer | string;
    };
    setReportable(flag: boolean): void;
    createReportResponseMessage(engine: unknown, context: string, errorType: string): RawMessage;
    hasAuthentication(): boolean;
    isReportable(): boolean;
  }
  export interface Authorizer {
    addCommunity(community: string): void;
    addUser(user: { name: string; level: number; authProtocol?: number; authKey?: string; privProtocol?: number; privKey?: string }): void;
  }
  export interface Listener {
    sockets: Record<string, Socket>;
    send(message: RawMessage, rinfo: RemoteInfo, socket: Socket): void;
    constructor: { processIncoming(buffer: Buffer, authorizer: Authorizer, callback: (err: Error | null) => void): RawMessage | undefined };
  }
  export interface Receiver {
    listener: Listener;
    engine: { engineID: Buffer; engineBoots: number; engineTime: number };
    context: string;
    authorizer: Authorizer;
    onMsg(socket: Socket, buffer: Buffer, rinfo: RemoteInfo): void;
    getAuthorizer(): Authorizer;
    close(cb?: () => void): void;
  }
  export interface ReceiverOptions {
    port: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    disableAuthorization?: boolean;
    includeAuthentication?: boolean;
    engineID?: string;
    sockets?: { transport: string; address: string | null; port: number }[];
    dgramModule?: { createSocket(type: 'udp4' | 'udp6'): Socket };
  }
  /** A client session: used by tests and benchmarks to send traps and informs. */
  export interface Session {
    trap(typeOrOid: string, varbinds: { oid: string; type: number; value: unknown }[], options: object, cb: (err: Error | null) => void): void;
    inform(typeOrOid: string, varbinds: { oid: string; type: number; value: unknown }[], options: object, cb: (err: Error | null) => void): void;
    close(): void;
  }
  export function createSession(target: string, community: string, options?: { port?: number; trapPort?: number; version?: number; retries?: number; timeout?: number }): Session;
  export function createReceiver(options: ReceiverOptions, callback: (err: Error | null, data?: unknown) => void): Receiver;
  export const PduType: Record<string, number> & { Trap: number; TrapV2: number; InformRequest: number; GetRequest: number; GetResponse: number };
  export const ObjectType: Record<number, string> & { OctetString: number; Integer: number; OID: number; TimeTicks: number; IpAddress: number };
  export const Version1: number;
  export const Version2c: number;
  export const Version3: number;
  export const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  export const AuthProtocols: Record<string, number>;
  export const PrivProtocols: Record<string, number>;
  export class RequestFailedError extends Error {}
  export class RequestInvalidError extends Error {}
  export class ProcessingError extends Error {}
}
