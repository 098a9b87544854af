import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { txEventMap } from "../chain/block-store.js";
import type { Chain } from "../chain/chain.js";
import { addEvents, matchesAll, parseQuery, QuerySyntaxError, type Condition } from "../chain/query.js";
import type { CommittedBlock, EventMap, IndexedTx } from "../chain/types.js";
import { headerJson, newBlockEventValue, txEventValue } from "./rpc-encode.js";
import { RpcError, rpcErrorBody, rpcErrors, type RpcMethods } from "./rpc-methods.js";

/** Options of {@link WebsocketRpc}. */
export interface WebsocketRpcOptions {
  logger: Logger;
  /** Subscriptions one connection may hold (CometBFT's max_subscriptions_per_client; default 100). */
  maxSubscriptionsPerClient?: number;
  /** A client whose unsent data exceeds this is disconnected, as CometBFT drops slow clients (default 64 MiB). */
  maxBufferedBytes?: number;
}

interface Subscription {
  id: unknown;
  query: string;
  conditions: Condition[];
  /** The `tm.event` the query requires, if it names one (lets a block skip work nobody wants). */
  eventType: string | undefined;
}

interface Client {
  socket: WebSocket;
  subscriptions: Map<string, Subscription>;
}

/**
 * CometBFT's `/websocket` endpoint: every RPC method, plus `subscribe`, `unsubscribe` and
 * `unsubscribe_all` to event queries (`tm.event='NewBlock'`, `tm.event='NewBlockHeader'`,
 * `tm.event='Tx' AND wasm._contract_address='...'`). Events are pushed with the subscribe
 * request's id, in the 0.38 shapes cosmjs decodes; each event's JSON is built once per block and
 * only when some subscription matches it.
 */
export class WebsocketRpc {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  readonly #clients = new Set<Client>();
  readonly #chain: Chain;
  readonly #methods: RpcMethods;
  readonly #logger: Logger;
  readonly #maxSubs: number;
  readonly #maxBuffered: number;
  readonly #onBlock = (block: CommittedBlock) => this.#publishBlock(block);
  readonly #onTx = (tx: IndexedTx) => this.#publishTx(tx);

  constructor(chain: Chain, methods: RpcMethods, options: WebsocketRpcOptions) {
    this.#chain = chain;
    this.#methods = methods;
    this.#logger = options.logger;
    this.#maxSubs = options.maxSubscriptionsPerClient ?? 100;
    this.#maxBuffered = options.maxBufferedBytes ?? 64 * 1024 * 1024;
    chain.on("newBlock", this.#onBlock);
    chain.on("tx", this.#onTx);
  }

  /** Number of open connections. */
  get connections(): number {
    return this.#clients.size;
  }

  /** Takes over an HTTP upgrade request for `/websocket`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  /** Closes every connection and stops listening to the chain. */
  close(): void {
    this.#chain.off("newBlock", this.#onBlock);
    this.#chain.off("tx", this.#onTx);
    for (const c of this.#clients) c.socket.terminate();
    this.#clients.clear();
    this.#wss.close();
  }

  #accept(socket: WebSocket): void {
    const client: Client = { socket, subscriptions: new Map() };
    this.#clients.add(client);
    socket.on("message", (data) => void this.#onMessage(client, data.toString()));
    socket.on("close", () => this.#clients.delete(client));
    socket.on("error", (err) => {
      this.#logger.debug({ err }, "websocket client error");
      this.#clients.delete(client);
    });
  }

  async #onMessage(client: Client, text: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      this.#send(client, { jsonrpc: "2.0", id: -1, error: rpcErrorBody(rpcErrors.parse((err as Error).message)) });
      return;
    }
    const requests = Array.isArray(parsed) ? parsed : [parsed];
    const responses = await Promise.all(requests.map((r) => this.#handle(client, r)));
    this.#send(client, Array.isArray(parsed) ? responses : responses[0]);
  }

  async #handle(client: Client, request: unknown): Promise<object> {
    const req = (request ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
    const id = req.id ?? -1;
    try {
      if (typeof req.method !== "string") throw rpcErrors.invalidRequest("method must be a string");
      const params = (req.params && typeof req.params === "object" && !Array.isArray(req.params) ? req.params : {}) as Record<string, unknown>;
      let result: unknown;
      if (req.method === "subscribe") result = this.#subscribe(client, id, params.query);
      else if (req.method === "unsubscribe") result = this.#unsubscribe(client, params.query);
      else if (req.method === "unsubscribe_all") {
        client.subscriptions.clear();
        result = {};
      } else result = await this.#methods.call(req.method, params);
      return { jsonrpc: "2.0", id, result };
    } catch (err) {
      if (err instanceof RpcError) return { jsonrpc: "2.0", id, error: rpcErrorBody(err) };
      this.#logger.error({ err }, "websocket request failed");
      return { jsonrpc: "2.0", id, error: rpcErrorBody(rpcErrors.internal((err as Error)?.message ?? String(err))) };
    }
  }

  #subscribe(client: Client, id: unknown, query: unknown): object {
    if (typeof query !== "string") throw rpcErrors.invalidParams("query must be a string");
    if (client.subscriptions.has(query)) throw rpcErrors.internal("failed to subscribe: already subscribed");
    if (client.subscriptions.size >= this.#maxSubs) throw rpcErrors.internal(`failed to subscribe: max_subscriptions_per_client ${this.#maxSubs} reached`);
    let conditions: Condition[];
    try {
      conditions = parseQuery(query);
    } catch (err) {
      if (err instanceof QuerySyntaxError) throw rpcErrors.internal(`failed to parse query: ${err.message}`);
      throw err;
    }
    const eventType = conditions.find((c) => c.key === "tm.event" && c.op === "=")?.value;
    client.subscriptions.set(query, { id, query, conditions, eventType: eventType === undefined ? undefined : String(eventType) });
    return {};
  }

  #unsubscribe(client: Client, query: unknown): object {
    if (typeof query !== "string" || !client.subscriptions.delete(query)) throw rpcErrors.internal("subscription not found");
    return {};
  }

  #publishBlock(block: CommittedBlock): void {
    if (this.#wants("NewBlock")) {
      const events = addEvents(new Map([["tm.event", ["NewBlock"]]]), block.finalizeEvents);
      this.#publish(events, () => ({ type: "tendermint/event/NewBlock", value: newBlockEventValue(block, this.#chain.validator) }));
    }
    if (this.#wants("NewBlockHeader")) {
      const events = addEvents(new Map([["tm.event", ["NewBlockHeader"]]]), block.finalizeEvents);
      this.#publish(events, () => ({ type: "tendermint/event/NewBlockHeader", value: { header: headerJson(block.header) } }));
    }
  }

  #publishTx(tx: IndexedTx): void {
    if (!this.#wants("Tx")) return;
    const events = txEventMap(tx);
    events.set("tm.event", ["Tx"]);
    this.#publish(events, () => ({ type: "tendermint/event/Tx", value: txEventValue(tx) }));
  }

  /** Sends the event to every matching subscription; the payload JSON is built at most once. */
  #publish(events: EventMap, data: () => object): void {
    let payload: string | undefined;
    for (const client of this.#clients) {
      for (const sub of client.subscriptions.values()) {
        if (!matchesAll(sub.conditions, events)) continue;
        payload ??= `"data":${JSON.stringify(data())},"events":${JSON.stringify(Object.fromEntries(events))}`;
        this.#sendRaw(client, `{"jsonrpc":"2.0","id":${JSON.stringify(sub.id)},"result":{"query":${JSON.stringify(sub.query)},${payload}}}`);
      }
    }
  }

  /** Whether some subscription may match events of this `tm.event` type. */
  #wants(eventType: string): boolean {
    for (const c of this.#clients) for (const s of c.subscriptions.values()) if (s.eventType === undefined || s.eventType === eventType) return true;
    return false;
  }

  #send(client: Client, message: unknown): void {
    this.#sendRaw(client, JSON.stringify(message));
  }

  #sendRaw(client: Client, text: string): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.#maxBuffered) {
      this.#logger.warn({ buffered: socket.bufferedAmount }, "websocket client is not reading fast enough; disconnecting");
      this.#clients.delete(client);
      socket.terminate();
      return;
    }
    socket.send(text);
  }
}
