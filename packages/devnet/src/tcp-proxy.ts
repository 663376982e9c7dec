import { createConnection, createServer, type Socket } from 'node:net';
import { UsageError } from '@pretrain/core';

/** A TCP forwarder that can cut every connection it carries. */
export interface TcpProxy {
  readonly port: number;
  /** Stop listening and destroy every open connection. */
  close(): Promise<void>;
}

/**
 * Listen on `host:port` and forward each connection to `127.0.0.1:targetPort`.
 *
 * The devnet serves through this because chopsticks' own server, when closed, keeps
 * established WebSocket connections open: clients would never notice a restart and
 * never reconnect. Closing the proxy drops them, as a stopped node would.
 */
export async function startTcpProxy(host: string, port: number, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} on ${host} is already in use`, {
              hint: 'choose another --port, or stop what uses it',
            })
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
