import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Logger } from "pino";
import { assertLoopback, listen, readBody, send, type RunningServer } from "../servers/rpc-http.js";

/** Which oracle price kinds an admin price change sets. */
export type PriceKind = "default" | "liquidation" | "both";

/** A liquidation seen in a block's events (ground truth for tests and benchmarks). */
export interface LiquidationRecord {
  height: number;
  txHash: string;
  product: "redbank" | "rover";
  /** Red Bank user address or liquidated credit account id. */
  account: string;
  liquidator: string;
  debtDenom: string;
  debtRepaid: string;
  collateralDenom: string;
  collateralSeized: string;
}

/** What the admin API drives; implemented by the devnet in main.ts. */
export interface DevnetControl {
  status(): unknown;
  /** The market denoms (the only denoms prices may be set for). */
  marketDenoms(): string[];
  setPrices(prices: Record<string, string>, kind: PriceKind): Promise<void>;
  /** Produces `count` blocks now (in addition to the timer); returns the new height. */
  advanceBlocks(count: number): Promise<number>;
  /** Moves the chain's clock forward (interest accrues); returns the next block's time. */
  advanceTime(seconds: number): Promise<number>;
  createRedBankPositions(count: number): Promise<{ users: string[] }>;
  createCreditAccounts(count: number): Promise<{ accountIds: string[] }>;
  /** Accounts liquidatable at the current height by the models' own math. */
  liquidatable(): Promise<{ height: number; redBank: string[]; creditAccounts: string[] }>;
  liquidations(sinceHeight: number): LiquidationRecord[];
  badDebt(): Promise<{ height: number; redBank: { user: string; shortfall: string }[]; creditAccounts: { accountId: string; shortfall: string }[] }>;
}

type Handler = (body: Record<string, unknown>, query: URLSearchParams) => Promise<unknown>;

/**
 * The loopback admin API (documented in devnet/README.md): JSON in, JSON out. A bad request
 * answers 400 with `{"error": "..."}`.
 */
export async function startAdminServer(control: DevnetControl, options: { port: number; host?: string; logger: Logger }): Promise<RunningServer> {
  const num = (v: unknown, name: string, min = 0) => {
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min) throw new BadRequest(`${name} must be a whole number >= ${min}`);
    return n;
  };
  const routes: Record<string, Handler> = {
    "GET /status": async () => control.status(),
    "POST /prices": async (b) => {
      const prices = b.prices;
      if (!prices || typeof prices !== "object") throw new BadRequest('prices must be an object {"denom": "price"}');
      const markets = new Set(control.marketDenoms());
      for (const [d, p] of Object.entries(prices)) {
        if (!markets.has(d)) throw new BadRequest(`${d} is not a market denom (markets: ${[...markets].join(", ")})`);
        if (typeof p !== "string" || !/^\d+(\.\d{1,18})?$/.test(p) || /^0+(\.0*)?$/.test(p)) throw new BadRequest(`price of ${d} must be a positive decimal string`);
      }
      const kind = (b.kind ?? "both") as PriceKind;
      if (!["default", "liquidation", "both"].includes(kind)) throw new BadRequest("kind must be default, liquidation or both");
      await control.setPrices(prices as Record<string, string>, kind);
      return { ok: true };
    },
    "POST /blocks": async (b) => ({ height: await control.advanceBlocks(num(b.count ?? 1, "count", 1)) }),
    "POST /time": async (b) => ({ nextBlockTime: await control.advanceTime(num(b.seconds, "seconds", 1)) }),
    "POST /positions": async (b) => control.createRedBankPositions(num(b.count, "count", 1)),
    "POST /credit-accounts": async (b) => control.createCreditAccounts(num(b.count, "count", 1)),
    "GET /liquidatable": async () => control.liquidatable(),
    "GET /liquidations": async (_b, q) => control.liquidations(num(q.get("since") ?? "0", "since")),
    "GET /bad-debt": async () => control.badDebt(),
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://admin");
    const handler = routes[`${req.method} ${url.pathname}`];
    const reply = (status: number, body: unknown) => send(res, status, body);
    if (!handler) return reply(404, { error: `no route ${req.method} ${url.pathname}`, routes: Object.keys(routes) });
    readJson(req)
      .then((body) => handler(body, url.searchParams))
      .then(
        (out) => reply(200, out),
        (err: unknown) => {
          if (err instanceof BadRequest) return reply(400, { error: err.message });
          options.logger.error({ err, route: url.pathname }, "admin request failed");
          reply(500, { error: err instanceof Error ? err.message : String(err) });
        },
      );
  });
  const host = options.host ?? "127.0.0.1";
  assertLoopback(host);
  const { port } = await listen(server, host, options.port);
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, 1024 * 1024)).toString("utf8").trim();
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch (err) {
    throw new BadRequest(`body is not JSON: ${(err as Error).message}`);
  }
  throw new BadRequest("body must be a JSON object");
}
