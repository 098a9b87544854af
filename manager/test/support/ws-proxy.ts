import { createServer, connect, type Server, type Socket } from "node:net";

/** A TCP proxy to `target` whose live connections can be cut. */
export async function proxy(target: URL): Promise<{ url: string; cut(ms: number): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let refuseUntil = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < refuseUntil) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/websocket`,
    /** Drops every connection and refuses new ones for `ms`. */
    cut: (ms) => {
      refuseUntil = Date.now() + ms;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
