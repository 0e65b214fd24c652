import { connect, createServer, type Socket } from 'node:net';
import { freePort } from './free-port.ts';

export interface CuttableProxy {
  port: number;
  targetPort: number;
  cut(): void;
  reconnect(): void;
  close(): Promise<void>;
}

/** A TCP proxy from `port` to a free target port (the broker's proxied listener) that can drop everything at once. */
export async function startCuttableProxy(port: number): Promise<CuttableProxy> {
  const targetPort = await freePort();
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    targetPort,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    reconnect() {
      open = true;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
