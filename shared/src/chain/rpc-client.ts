import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import {
  QueryAllContractStateRequest,
  QueryAllContractStateResponse,
  QuerySmartContractStateRequest,
  QuerySmartContractStateResponse,
} from "cosmjs-types/cosmwasm/wasm/v1/query";
import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "pino";
import { AllEndpointsFailedError, RetryableError, UnrecoverableError } from "../errors.js";
import { EndpointPool } from "../runtime/failover.js";
import { httpError, requestJson, type HttpRequest } from "./http.js";
import { compareBytes, prefixEnd } from "./keys.js";

/**
 * A contract query the chain answered with an error (an ABCI code other than 0, or the LCD's
 * gRPC error): the contract rejected the query or it was malformed. Every node would answer the
 * same, so it is not failed over; `log` is the chain's text.
 */
export class ContractQueryError extends UnrecoverableError {
  override readonly code = "ERR_CONTRACT_QUERY";
  /** The contract queried. */
  readonly contract: string;
  /** The query's variant (`market_v2`) or the raw query's name (`all_contract_state`). */
  readonly query: string;
  /** The chain's error text, e.g. `Generic error: ...: query wasm contract failed: unknown request`. */
  readonly log: string;
  constructor(contract: string, query: string, log: string) {
    super(`query ${query} of contract ${contract} failed: ${log}`);
    this.contract = contract;
    this.query = query;
    this.log = log;
  }
}

/** Options of {@link ChainClient}. */
export interface ChainClientOptions {
  /** CometBFT RPC endpoints, in order of preference. */
  rpc: readonly string[];
  /** LCD endpoints, in order of preference, used for wasm queries once every RPC endpoint failed. */
  lcd?: readonly string[];
  logger?: Logger;
  /** Timeout of each HTTP request, in milliseconds (default 10000). */
  timeoutMs?: number;
  /**
   * Most reads sent to one node together as one JSON-RPC batch (an array, which CometBFT answers
   * with an array): the `abci_query` reads made in the same tick of the event loop leave in one
   * HTTP request, so a burst of reads costs the node and the bot one request, not one each.
   * Simulations, broadcasts and block reads always go alone (a batch is answered only once all of
   * it is done). 1 sends every call alone. A node that does not answer a batch with an array gets
   * single calls from then on.
   */
  maxBatch?: number;
}

/** A JSON-RPC call waiting for the end of the tick. */
interface QueuedCall {
  call: { jsonrpc: "2.0"; id: number; method: string; params: Record<string, unknown> };
  resolve: (answer: RpcAnswer) => void;
  reject: (err: unknown) => void;
}

/** One JSON-RPC answer. */
interface RpcAnswer {
  id?: number;
  result?: unknown;
  error?: { code?: number; message?: string; data?: string };
}

/** One raw contract-state entry. */
export interface StateModel {
  key: Uint8Array;
  value: Uint8Array;
}

/** One page of raw contract state. */
export interface StatePage {
  models: StateModel[];
  /** Key to start the next page at; null after the last entry. */
  nextKey: Uint8Array | null;
  /** Height of the state read. */
  height: number;
}

/** A tx event with its attributes as text. */
export interface TxEvent {
  type: string;
  attributes: { key: string; value: string }[];
}

/** An ABCI query's answer, whatever its code (the caller decides what a non-zero code means). */
export interface AbciQueryResult {
  /** 0 on success; otherwise the error's ABCI code within `codespace`. */
  code: number;
  codespace: string;
  /** The error text (empty on success). */
  log: string;
  /** The protobuf-encoded response. */
  value: Uint8Array;
  /** Height of the state the query read. */
  height: number;
}

/** What CheckTx said about a transaction sent with `broadcast_tx_sync`. */
export interface BroadcastTxSyncResult {
  /** The CometBFT tx hash: sha256 of the bytes, upper-case hex. */
  hash: string;
  /** 0: the tx is in the mempool; otherwise CheckTx's ABCI code within `codespace`. */
  code: number;
  codespace: string;
  log: string;
}

/** A transaction included in a block, as the RPC `tx` method reports it. */
export interface IncludedTx {
  hash: string;
  height: number;
  /** Position of the tx in its block, from 0. */
  index: number;
  /** 0: the messages ran; otherwise the failure's ABCI code (the fee was paid anyway). */
  code: number;
  codespace: string;
  rawLog: string;
  gasUsed: number;
  gasWanted: number;
  /** Events with text attributes (ante events such as `tx` fee, then the messages'). */
  events: TxEvent[];
}

const SMART_PATH = "/cosmwasm.wasm.v1.Query/SmartContractState";
const SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate";
const ALL_STATE_PATH = "/cosmwasm.wasm.v1.Query/AllContractState";
/** The gRPC-gateway header with the height of the state an LCD query read. */
const HEIGHT_HEADER = "grpc-metadata-x-cosmos-block-height";
/**
 * gRPC codes of an LCD error body that mean the request itself failed: Unknown (wasmd's contract
 * errors), InvalidArgument (bad address or query), NotFound (no such contract).
 */
const REQUEST_ERROR_CODES = new Set([2, 3, 5]);

/**
 * The bot's reader of the chain: CometBFT JSON-RPC over HTTP with failover over several nodes
 * (`EndpointPool`), and the LCD as the fallback for wasm queries when every RPC node failed.
 * Transport errors, timeouts and HTTP errors fail over; a contract's error throws
 * {@link ContractQueryError} at once. `queryCount` counts the HTTP requests sent.
 */
export class ChainClient {
  /** JSON-RPC calls and LCD requests sent so far, answered or not (benchmarks report chain queries per block). */
  queryCount = 0;
  readonly #rpc: EndpointPool;
  readonly #lcd?: EndpointPool;
  readonly #logger?: Logger;
  readonly #timeoutMs: number;
  readonly #maxBatch: number;
  /** Per endpoint, the calls of this tick not sent yet. */
  readonly #open = new Map<string, QueuedCall[]>();
  /** Endpoints that answered a batch with something other than an array. */
  readonly #noBatch = new Set<string>();
  #nextId = 1;

  constructor(options: ChainClientOptions) {
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxBatch = options.maxBatch ?? 32;
    this.#rpc = new EndpointPool(options.rpc.map(trimSlash), { kind: "rpc", logger: options.logger });
    if (options.lcd?.length) this.#lcd = new EndpointPool(options.lcd.map(trimSlash), { kind: "lcd", logger: options.logger });
  }

  /** The chain id, and height and time (unix seconds) of the latest block. */
  status(): Promise<{ chainId: string; height: number; timeSec: number }> {
    return this.#rpc.run(async (endpoint) => {
      const r = await this.#call<StatusResult>(endpoint, "status", {});
      return { chainId: r.node_info.network, height: toHeight(r.sync_info.latest_block_height), timeSec: unixSeconds(r.sync_info.latest_block_time) };
    });
  }

  /** Height and time (unix seconds, floored) of the block at `height`. */
  block(height: number): Promise<{ height: number; timeSec: number }> {
    return this.#rpc.run(async (endpoint) => {
      const { header } = (await this.#call<BlockResult>(endpoint, "block", { height: String(height) })).block;
      return { height: toHeight(header.height), timeSec: unixSeconds(header.time) };
    });
  }

  /** A contract's smart query: `msg` as JSON in, the contract's JSON answer out. */
  smart<T>(contract: string, msg: unknown): Promise<T> {
    const queryData = Buffer.from(JSON.stringify(msg), "utf8");
    const query = queryName(msg);
    return this.#wasm(
      async (endpoint) => {
        const request = QuerySmartContractStateRequest.encode({ address: contract, queryData }).finish();
        const { value } = await this.#abciQuery(endpoint, SMART_PATH, request, contract, query);
        return JSON.parse(Buffer.from(QuerySmartContractStateResponse.decode(value).data).toString("utf8")) as T;
      },
      async (endpoint) => {
        const path = `/cosmwasm/wasm/v1/contract/${contract}/smart/${base64Url(queryData)}`;
        const { body } = await this.#lcdGet(endpoint, path, "wasm smart", contract, query);
        return (body as { data: T }).data;
      },
    );
  }

  /**
   * One page of a contract's raw state in key order, starting AT `startKey` (inclusive, as the
   * SDK's `Paginate` does; from the first key when absent), at most `limit` entries.
   */
  allState(contract: string, opts: { startKey?: Uint8Array; limit: number }): Promise<StatePage> {
    const key = opts.startKey ?? new Uint8Array();
    const query = "all_contract_state";
    return this.#wasm(
      async (endpoint) => {
        const pagination = PageRequest.fromPartial({ key, limit: BigInt(opts.limit) });
        const request = QueryAllContractStateRequest.encode(QueryAllContractStateRequest.fromPartial({ address: contract, pagination })).finish();
        const { value, height } = await this.#abciQuery(endpoint, ALL_STATE_PATH, request, contract, query);
        const { models, pagination: page } = QueryAllContractStateResponse.decode(value);
        const nextKey = page?.nextKey.length ? page.nextKey : null;
        return { models: models.map((m) => ({ key: m.key, value: m.value })), nextKey, height };
      },
      async (endpoint) => {
        const params = new URLSearchParams({ "pagination.limit": String(opts.limit) });
        if (key.length) params.set("pagination.key", Buffer.from(key).toString("base64"));
        const path = `/cosmwasm/wasm/v1/contract/${contract}/state?${params}`;
        const { body, headers } = await this.#lcdGet(endpoint, path, "wasm state", contract, query);
        const { models, pagination } = body as LcdStateResult;
        return {
          models: models.map((m) => ({ key: Buffer.from(m.key, "hex"), value: Buffer.from(m.value, "base64") })),
          nextKey: pagination?.next_key ? Buffer.from(pagination.next_key, "base64") : null,
          height: toHeight((headers[HEIGHT_HEADER] as string | undefined) ?? (await this.#lcdLatestHeight(endpoint))),
        };
      },
    );
  }

  /**
   * Every entry under `prefix` (from `start` when given; only the first page when `firstPageOnly`),
   * and the lowest height a page was read at (null when nothing was read).
   */
  async readPrefix(contract: string, prefix: Uint8Array, opts: { pageLimit: number; start?: Uint8Array; firstPageOnly?: boolean }): Promise<{ models: StateModel[]; height: number | null }> {
    const models: StateModel[] = [];
    let height: number | null = null;
    for await (const page of this.scanRange(contract, opts.start ?? prefix, prefixEnd(prefix), { pageLimit: opts.pageLimit })) {
      height = height === null ? page.height : Math.min(height, page.height);
      models.push(...page.models);
      if (opts.firstPageOnly) break;
    }
    return { models, height };
  }

  /**
   * Pages {@link allState} from `start` and yields, page by page, the entries with a key below
   * `end` (bytewise; null: to the end of the state). Stops at the first key at or past `end` or
   * after the last page. Pages with no entry in range are not yielded; each page carries its own
   * height (state may change between pages).
   */
  async *scanRange(contract: string, start: Uint8Array, end: Uint8Array | null, opts: { pageLimit: number }): AsyncGenerator<{ models: StateModel[]; height: number }> {
    let startKey: Uint8Array | null = start;
    while (startKey) {
      const page = await this.allState(contract, { startKey, limit: opts.pageLimit });
      const stop = end ? page.models.findIndex((m) => compareBytes(m.key, end) >= 0) : -1;
      const models = stop < 0 ? page.models : page.models.slice(0, stop);
      if (models.length) yield { models, height: page.height };
      if (stop >= 0) return;
      startKey = page.nextKey;
    }
  }

  /**
   * A raw `abci_query` (gRPC method path and protobuf request) at the latest height. Every answer
   * is returned, a non-zero code included; transport and JSON-RPC failures fail over.
   */
  abciQuery(path: string, data: Uint8Array): Promise<AbciQueryResult> {
    return this.#rpc.run((endpoint) => this.#abciRaw(endpoint, path, data));
  }

  /**
   * `broadcast_tx_sync`: CheckTx's verdict on signed tx bytes. A node that already holds the tx
   * ("tx already exists in cache", e.g. after a timed-out first attempt or gossip from another
   * node) counts as accepted. Broadcasting the same bytes twice is harmless, so failover is safe.
   */
  broadcastTxSync(tx: Uint8Array): Promise<BroadcastTxSyncResult> {
    const hash = toHex(sha256(tx)).toUpperCase();
    return this.#rpc.run(async (endpoint) => {
      try {
        const r = await this.#call<{ code: number; codespace?: string; log?: string; hash: string }>(endpoint, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
        return { hash: r.hash || hash, code: r.code, codespace: r.codespace ?? "", log: r.log ?? "" };
      } catch (err) {
        if (err instanceof JsonRpcError && /tx already exists in cache/.test(err.data ?? "")) return { hash, code: 0, codespace: "", log: "tx already exists in cache" };
        throw err;
      }
    });
  }

  /** The included transaction with this hash (hex), or null when the node has not indexed it (yet). */
  tx(hash: string): Promise<IncludedTx | null> {
    return this.#rpc.run(async (endpoint) => {
      let r: TxJson;
      try {
        r = await this.#call<TxJson>(endpoint, "tx", { hash: Buffer.from(hash, "hex").toString("base64"), prove: false });
      } catch (err) {
        if (err instanceof JsonRpcError && /not found/.test(err.data ?? "")) return null;
        throw err;
      }
      const res = r.tx_result;
      return {
        hash: r.hash,
        height: toHeight(r.height),
        index: r.index,
        code: res.code,
        codespace: res.codespace ?? "",
        rawLog: res.log ?? "",
        gasUsed: Number(res.gas_used ?? 0),
        gasWanted: Number(res.gas_wanted ?? 0),
        events: textEvents([res])[0]!,
      };
    });
  }

  /** Every transaction of block `height` with its result (failed ones included), in block order: two requests for the whole block. */
  blockTxResults(height: number): Promise<IncludedTx[]> {
    return this.#rpc.run(async (endpoint) => {
      const [block, results] = await Promise.all([
        this.#call<BlockResult>(endpoint, "block", { height: String(height) }),
        this.#call<BlockResultsResult>(endpoint, "block_results", { height: String(height) }),
      ]);
      const txs = block.block.data?.txs ?? [];
      const res = results.txs_results ?? [];
      const events = textEvents(res);
      return txs.map((tx, index) => {
        const r = res[index]!;
        return {
          hash: toHex(sha256(Buffer.from(tx, "base64"))).toUpperCase(),
          height,
          index,
          code: r.code,
          codespace: r.codespace ?? "",
          rawLog: r.log ?? "",
          gasUsed: Number(r.gas_used ?? 0),
          gasWanted: Number(r.gas_wanted ?? 0),
          events: events[index]!,
        };
      });
    });
  }

  /**
   * The events of each successful tx (code 0) of the block at `height`, one array per tx in block
   * order. Attributes come as text (CometBFT 0.38); base64 attributes of older nodes are decoded.
   */
  blockTxEvents(height: number): Promise<TxEvent[][]> {
    return this.#rpc.run(async (endpoint) => {
      const r = await this.#call<BlockResultsResult>(endpoint, "block_results", { height: String(height) });
      return textEvents((r.txs_results ?? []).filter((tx) => tx.code === 0));
    });
  }

  /** Runs a wasm query over the RPC pool, and over the LCD pool when every RPC endpoint failed. */
  async #wasm<T>(viaRpc: (endpoint: string) => Promise<T>, viaLcd: (endpoint: string) => Promise<T>): Promise<T> {
    try {
      return await this.#rpc.run(viaRpc);
    } catch (rpcErr) {
      if (!this.#lcd || !(rpcErr instanceof AllEndpointsFailedError)) throw rpcErr;
      this.#logger?.warn({ err: rpcErr }, "every rpc endpoint failed, querying the lcd");
      try {
        return await this.#lcd.run(viaLcd);
      } catch (lcdErr) {
        if (!(lcdErr instanceof AllEndpointsFailedError)) throw lcdErr;
        throw new AllEndpointsFailedError("rpc and lcd", [...rpcErr.failures, ...lcdErr.failures]);
      }
    }
  }

  /** One JSON-RPC call; a JSON-RPC error (a node that cannot answer) fails over. */
  async #call<T>(endpoint: string, method: string, params: Record<string, unknown>, batch = false): Promise<T> {
    this.queryCount++;
    const call = { jsonrpc: "2.0" as const, id: this.#nextId++, method, params };
    const answer = await (batch ? this.#enqueue(endpoint, call) : this.#post(endpoint, call));
    const what = `rpc ${method}`;
    if (answer.error) {
      const { code, message, data } = answer.error;
      throw new JsonRpcError(`${what} at ${endpoint}: error ${code} ${message}${data ? `: ${String(data).slice(0, 200)}` : ""}`, data === undefined ? undefined : String(data));
    }
    if (answer.result === undefined) throw httpError({ endpoint, what, timeoutMs: this.#timeoutMs }, 200, JSON.stringify(answer), "no result");
    return answer.result as T;
  }

  /** Sends a read with the others of this tick to the same endpoint (at most `maxBatch` per request). */
  #enqueue(endpoint: string, call: QueuedCall["call"]): Promise<RpcAnswer> {
    if (this.#maxBatch === 1 || this.#noBatch.has(endpoint)) return this.#post(endpoint, call);
    return new Promise((resolve, reject) => {
      let open = this.#open.get(endpoint);
      if (open === undefined) {
        this.#open.set(endpoint, (open = []));
        setImmediate(() => {
          const group = this.#open.get(endpoint);
          this.#open.delete(endpoint);
          if (group !== undefined) void this.#flush(endpoint, group);
        });
      }
      open.push({ call, resolve, reject });
      if (open.length >= this.#maxBatch) {
        this.#open.set(endpoint, []);
        void this.#flush(endpoint, open);
      }
    });
  }

  async #flush(endpoint: string, group: QueuedCall[]): Promise<void> {
    if (group.length === 0) return;
    if (group.length === 1) {
      const [one] = group;
      return this.#post(endpoint, one!.call).then(one!.resolve, one!.reject);
    }
    const req: HttpRequest = { endpoint, what: `rpc batch of ${group.length} calls (${[...new Set(group.map((g) => g.call.method))].join(", ")})`, body: JSON.stringify(group.map((g) => g.call)), timeoutMs: this.#timeoutMs };
    let body: unknown;
    try {
      body = (await requestJson(req)).body;
    } catch (err) {
      for (const g of group) g.reject(err);
      return;
    }
    if (!Array.isArray(body)) {
      // A node (or a proxy in front of it) that does not serve batches: one call per request from now on.
      this.#noBatch.add(endpoint);
      this.#logger?.warn({ endpoint }, "the node does not answer JSON-RPC batches; sending one call per request");
      for (const g of group) void this.#post(endpoint, g.call).then(g.resolve, g.reject);
      return;
    }
    const byId = new Map((body as RpcAnswer[]).map((a) => [a?.id, a]));
    for (const g of group) {
      const answer = byId.get(g.call.id);
      if (answer === undefined) g.reject(httpError(req, 200, JSON.stringify(body), `no answer to call ${g.call.id} (${g.call.method})`));
      else g.resolve(answer);
    }
  }

  /** One call in its own HTTP request. */
  async #post(endpoint: string, call: QueuedCall["call"]): Promise<RpcAnswer> {
    const { body } = await requestJson({ endpoint, what: `rpc ${call.method}`, body: JSON.stringify(call), timeoutMs: this.#timeoutMs });
    return body as RpcAnswer;
  }

  /** A wasm `abci_query`; a non-zero code is the contract's (or the query's) error. */
  async #abciQuery(endpoint: string, path: string, data: Uint8Array, contract: string, query: string): Promise<{ value: Uint8Array; height: number }> {
    const r = await this.#abciRaw(endpoint, path, data);
    if (r.code !== 0) throw new ContractQueryError(contract, query, r.log || `code ${r.code} (codespace ${r.codespace})`);
    return r;
  }

  /** One `abci_query` at one endpoint, answered whatever its code. */
  async #abciRaw(endpoint: string, path: string, data: Uint8Array): Promise<AbciQueryResult> {
    const { response: r } = await this.#call<{ response: AbciQueryResponse }>(endpoint, "abci_query", { path, data: Buffer.from(data).toString("hex") }, path !== SIMULATE_PATH);
    return { code: r.code, codespace: r.codespace ?? "", log: r.log ?? "", value: Buffer.from(r.value ?? "", "base64"), height: toHeight(r.height) };
  }

  /** An LCD GET; a gRPC error about the request throws {@link ContractQueryError}, anything else fails over. */
  async #lcdGet(endpoint: string, path: string, what: string, contract: string, query: string): Promise<{ body: unknown; headers: IncomingHttpHeaders }> {
    const req: HttpRequest = { endpoint, path, what: `lcd ${what}`, timeoutMs: this.#timeoutMs, anyStatus: true };
    this.queryCount++;
    const { status, headers, body } = await requestJson(req);
    if (status === 200) return { body, headers };
    const err = body as { code?: unknown; message?: unknown } | null;
    if (typeof err?.code === "number" && REQUEST_ERROR_CODES.has(err.code) && typeof err.message === "string") throw new ContractQueryError(contract, query, err.message);
    throw httpError(req, status, JSON.stringify(body));
  }

  /** The LCD's latest block height, for LCDs that do not send {@link HEIGHT_HEADER}. */
  async #lcdLatestHeight(endpoint: string): Promise<string> {
    this.queryCount++;
    const { body } = await requestJson({ endpoint, path: "/cosmos/base/tendermint/v1beta1/blocks/latest", what: "lcd latest block", timeoutMs: this.#timeoutMs });
    return (body as { block: { header: { height: string } } }).block.header.height;
  }
}

interface StatusResult {
  node_info: { network: string };
  sync_info: { latest_block_height: string; latest_block_time: string };
}

interface BlockResult {
  block: { header: { height: string; time: string }; data?: { txs?: string[] | null } };
}

interface AbciQueryResponse {
  code: number;
  log: string;
  codespace: string;
  value: string | null;
  height: string;
}

interface TxResultJson {
  code: number;
  codespace?: string;
  log?: string;
  gas_used?: string;
  gas_wanted?: string;
  events?: { type: string; attributes?: { key?: string | null; value?: string | null }[] }[];
}

interface TxJson {
  hash: string;
  height: string;
  index: number;
  tx_result: TxResultJson;
}

/** A JSON-RPC error answer: the node could not serve the call (fails over); `data` is its detail. */
class JsonRpcError extends RetryableError {
  readonly data: string | undefined;
  constructor(message: string, data: string | undefined) {
    super(message);
    this.data = data;
  }
}

interface BlockResultsResult {
  txs_results: TxResultJson[] | null;
}

interface LcdStateResult {
  models: { key: string; value: string }[];
  pagination?: { next_key?: string | null };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** A height from an int64 JSON string; anything else is a broken answer (fails over). */
function toHeight(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new RetryableError(`expected a block height, got ${JSON.stringify(s)}`);
  return n;
}

/** Unix seconds of an RFC 3339 time (nanosecond fractions dropped). */
function unixSeconds(time: string): number {
  const ms = Date.parse(time.replace(/\.\d+/, ""));
  if (Number.isNaN(ms)) throw new RetryableError(`expected an RFC 3339 time, got ${JSON.stringify(time)}`);
  return Math.floor(ms / 1000);
}

/** The variant of a query message (`{"market_v2":{...}}` → `market_v2`), for errors. */
function queryName(msg: unknown): string {
  return msg && typeof msg === "object" ? (Object.keys(msg)[0] ?? "{}") : JSON.stringify(msg);
}

/** URL-safe base64 with padding: a path segment the gRPC gateway decodes (standard, then URL alphabet). */
function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The events of each tx result with text attributes (base64 ones of old nodes decoded). */
function textEvents(txs: TxResultJson[]): TxEvent[][] {
  const decode = attributesAreBase64(txs) ? (s: string) => Buffer.from(s, "base64").toString("utf8") : (s: string) => s;
  return txs.map((tx) => (tx.events ?? []).map((e) => ({ type: e.type, attributes: (e.attributes ?? []).map((a) => ({ key: decode(a.key ?? ""), value: decode(a.value ?? "") })) })));
}

/**
 * Whether a block's attributes are base64 (Tendermint 0.34) rather than text (CometBFT 0.37+):
 * true when every key is canonical base64 of printable ASCII. Text keys (`_contract_address`,
 * `action`, `sender`, `amount`) fail that test by their length or characters.
 */
function attributesAreBase64(txs: TxResultJson[]): boolean {
  const keys = txs.flatMap((tx) => (tx.events ?? []).flatMap((e) => (e.attributes ?? []).map((a) => a.key ?? "")));
  return keys.length > 0 && keys.every((k) => {
    const bytes = Buffer.from(k, "base64");
    return bytes.length > 0 && bytes.toString("base64") === k && /^[\x20-\x7e]+$/.test(bytes.toString("latin1"));
  });
}
