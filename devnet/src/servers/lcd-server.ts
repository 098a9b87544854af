import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Chain } from "../chain/chain.js";
import { GrpcCode, QueryError } from "../chain/errors.js";
import { lcdRoutes, type LcdRoute } from "./lcd-routes.js";
import { assertLoopback, listen, readBody, send, type RunningServer } from "./rpc-http.js";

/** Options of {@link startLcdServer}. */
export interface LcdServerOptions {
  /** TCP port; 0 picks a free one (see the returned `port`). */
  port: number;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  logger: Logger;
  /** More routes, tried before the built-in ones (e.g. chain-specific modules the lead adds). */
  extraRoutes?: LcdRoute[];
}

/**
 * Starts the LCD (REST gateway) server. Errors come back as the gateway returns them:
 * `{"code": <gRPC code>, "message": "...", "details": []}` with the matching HTTP status.
 */
export async function startLcdServer(chain: Chain, options: LcdServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  assertLoopback(host);
  const logger = options.logger;
  const routes = [...(options.extraRoutes ?? []), ...lcdRoutes(chain)];
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url }, "lcd request failed");
      if (!res.headersSent) send(res, 500, { code: GrpcCode.Internal, message: (err as Error)?.message ?? String(err), details: [] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.method === req.method);
    if (!route) {
      if (matching.length) send(res, 405, { code: 12, message: "Method Not Allowed", details: [] });
      else send(res, 404, { code: 5, message: "Not Found", details: [] });
      return;
    }
    let body: unknown;
    if (req.method === "POST") {
      const raw = await readBody(req, 16 * 1024 * 1024);
      try {
        body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
      } catch (err) {
        send(res, 400, { code: GrpcCode.InvalidArgument, message: `invalid JSON body: ${(err as Error).message}`, details: [] });
        return;
      }
    }
    const params = (route.pattern.exec(url.pathname) ?? []).slice(1);
    try {
      send(res, 200, route.handle({ params, query: url.searchParams, body }));
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      send(res, err.httpStatus, { code: err.grpcCode, message: err.toAbci().log, details: [] });
    }
  }

  const address = await listen(server, host, options.port);
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  logger.info({ url }, "lcd server listening");
  return {
    url,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
