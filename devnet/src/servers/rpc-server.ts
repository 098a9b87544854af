import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Chain } from "../chain/chain.js";
import { assertLoopback, listen, readBody, send, type RunningServer } from "./rpc-http.js";
import { RpcError, rpcErrorBody, RpcMethods, rpcErrors, type RpcParams } from "./rpc-methods.js";
import { WebsocketRpc } from "./websocket-rpc.js";

export type { RunningServer } from "./rpc-http.js";

/** Options of {@link startRpcServer}. */
export interface RpcServerOptions {
  /** TCP port; 0 picks a free one (see the returned `port`). */
  port: number;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  logger: Logger;
  moniker?: string;
  /** Largest request body accepted (default 16 MiB). */
  maxBodyBytes?: number;
}

/**
 * Starts the CometBFT 0.38 RPC: JSON-RPC over POST (single or batch), URI calls over GET
 * (`/status`, `/block?height=5`, `/abci_query?path="..."&data=0x..`), and `/websocket`.
 */
export async function startRpcServer(chain: Chain, options: RpcServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  assertLoopback(host);
  const logger = options.logger;
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const server = createServer();
  const methods = new RpcMethods(chain, { listenAddress: "tcp://0.0.0.0:26656", moniker: options.moniker });
  const websocket = new WebsocketRpc(chain, methods, { logger });

  server.on("request", (req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, "rpc request failed");
      if (!res.headersSent) send(res, 500, { jsonrpc: "2.0", id: -1, error: { code: -32603, message: "Internal error", data: String(err) } });
    });
  });
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://localhost").pathname === "/websocket") websocket.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "POST") {
      const body = await readBody(req, maxBody);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch (err) {
        send(res, 200, { jsonrpc: "2.0", id: -1, error: rpcErrorBody(rpcErrors.parse((err as Error).message)) });
        return;
      }
      const list = Array.isArray(parsed) ? parsed : [parsed];
      const out = await Promise.all(list.map((r) => call(r as JsonRpcRequest)));
      send(res, 200, Array.isArray(parsed) ? out : out[0]);
      return;
    }
    if (req.method !== "GET") {
      send(res, 405, { error: `method ${req.method} not allowed` });
      return;
    }
    const method = url.pathname.replace(/^\/+/, "");
    if (method === "") {
      const links = methods.names.map((m) => `<a href="/${m}">/${m}</a>`).join("<br>");
      res.writeHead(200, { "content-type": "text/html" }).end(`<html><body>Available endpoints:<br>${links}</body></html>`);
      return;
    }
    const params: RpcParams = {};
    for (const [k, v] of url.searchParams) params[k] = v.replace(/^"(.*)"$/s, "$1");
    const response = await call({ jsonrpc: "2.0", id: -1, method, params });
    // CometBFT answers URI calls that fail with an HTTP error status (POST JSON-RPC always with 200).
    const code = "error" in response ? response.error.code : 0;
    send(res, code === 0 ? 200 : code === -32601 ? 404 : code === -32602 || code === -32600 ? 400 : 500, response);
  }

  async function call(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const id = request?.id ?? -1;
    try {
      if (!request || typeof request.method !== "string") throw rpcErrors.invalidRequest("method must be a string");
      const params = request.params && typeof request.params === "object" && !Array.isArray(request.params) ? (request.params as RpcParams) : {};
      return { jsonrpc: "2.0", id, result: await methods.call(request.method, params) };
    } catch (err) {
      if (err instanceof RpcError) return { jsonrpc: "2.0", id, error: rpcErrorBody(err) };
      throw err;
    }
  }

  const address = await listen(server, host, options.port);
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  logger.info({ url }, "rpc server listening");
  return {
    url,
    host: address.address,
    port: address.port,
    close: async () => {
      websocket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

type JsonRpcResponse = { jsonrpc: "2.0"; id: unknown; result: unknown } | { jsonrpc: "2.0"; id: unknown; error: { code: number; message: string; data?: string } };
