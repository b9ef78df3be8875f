// A corporate forward proxy for tests: it only tunnels (CONNECT) and records what it was asked; with a status other
// than 200 it refuses every tunnel with that status.
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TunnelProxy {
  port: number;
  /** Each CONNECT: the target (host:port) and the Proxy-Authorization header sent. */
  connects: { target: string; auth: string | undefined }[];
  close(): Promise<void>;
}

export async function startTunnelProxy(status = 200): Promise<TunnelProxy> {
  const connects: TunnelProxy['connects'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    if (status !== 200) { client.end(`HTTP/1.1 ${status} Nope\r\n\r\n`); return; }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port, connects,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
