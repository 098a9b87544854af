import { fromBase64, fromHex, toBase64 } from "@cosmjs/encoding";
import { sha256, sha512 } from "@cosmjs/crypto";
import { rfc3339 } from "../chain/block-builder.js";
import { MempoolError, type Chain } from "../chain/chain.js";
import { parseQuery, QuerySyntaxError } from "../chain/query.js";
import type { CommittedBlock } from "../chain/types.js";
import * as enc from "./rpc-encode.js";

/** A JSON-RPC error as CometBFT returns it (`{code, message, data}`). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

/** JSON-RPC error constructors with CometBFT's codes and messages. */
export const rpcErrors = {
  parse: (data: string) => new RpcError(-32700, "Parse error. Invalid JSON", data),
  invalidRequest: (data: string) => new RpcError(-32600, "Invalid Request", data),
  methodNotFound: (method: string) => new RpcError(-32601, "Method not found", method),
  invalidParams: (data: string) => new RpcError(-32602, "Invalid params", data),
  internal: (data: string) => new RpcError(-32603, "Internal error", data),
};

/** The `error` member of a JSON-RPC response. */
export function rpcErrorBody(err: RpcError): { code: number; message: string; data?: string } {
  return err.data === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, data: err.data };
}

/** Named parameters of a call (from a JSON-RPC body or a GET query string). */
export type RpcParams = Record<string, unknown>;

/** Options of {@link RpcMethods}. */
export interface RpcMethodsOptions {
  /** `listen_addr` reported by `status` (e.g. tcp://127.0.0.1:26657). */
  listenAddress: string;
  moniker?: string;
}

/**
 * The CometBFT 0.38 RPC methods the devnet answers, over a {@link Chain}. Shared by the HTTP
 * (POST JSON-RPC and GET URI) and websocket transports; subscriptions live in the websocket server.
 */
export class RpcMethods {
  readonly #chain: Chain;
  readonly #options: RpcMethodsOptions;
  readonly #nodeId: string;
  readonly #methods: Record<string, (p: RpcParams) => unknown>;

  constructor(chain: Chain, options: RpcMethodsOptions) {
    this.#chain = chain;
    this.#options = options;
    this.#nodeId = Buffer.from(sha256(new TextEncoder().encode(`node:${chain.chainId}`)).slice(0, 20)).toString("hex");
    this.#methods = {
      health: () => ({}),
      status: () => this.#status(),
      abci_info: () => ({
        response: { data: "devnet", version: "0.50.0", app_version: "0", last_block_height: String(chain.height), last_block_app_hash: Buffer.from(chain.appHash, "hex").toString("base64") },
      }),
      abci_query: (p) => {
        const path = str(p, "path");
        const data = bytes(p, "data", "hex") ?? new Uint8Array();
        return enc.abciQueryJson(chain.abci.query(path, data));
      },
      block: (p) => this.#blockResponse(this.#block(int(p, "height"))),
      block_by_hash: (p) => {
        const hash = Buffer.from(bytes(p, "hash", "base64") ?? new Uint8Array()).toString("hex").toUpperCase();
        const block = this.#findByHash(hash);
        return block ? this.#blockResponse(block) : { block_id: { hash: "", parts: { total: 0, hash: "" } }, block: null };
      },
      header: (p) => ({ header: enc.headerJson(this.#block(int(p, "height")).header) }),
      block_results: (p) => enc.blockResultsJson(this.#block(int(p, "height"))),
      commit: (p) => {
        const block = this.#block(int(p, "height"));
        const commit = { height: block.header.height, blockId: block.blockId, timeMs: block.header.timeMs, signature: sha512(Buffer.from(block.blockId.hash, "hex")) };
        return { signed_header: { header: enc.headerJson(block.header), commit: enc.commitJson(commit, chain.validator) }, canonical: true };
      },
      blockchain: (p) => this.#blockchain(int(p, "minHeight"), int(p, "maxHeight")),
      validators: (p) => {
        const height = int(p, "height") ?? chain.height;
        return { block_height: String(height), validators: [enc.validatorJson(chain.validator)], count: "1", total: "1" };
      },
      genesis: () => ({
        genesis: {
          genesis_time: rfc3339(chain.genesisTimeMs),
          chain_id: chain.chainId,
          initial_height: "1",
          consensus_params: enc.consensusParamsJson(),
          validators: [{ address: chain.validator.address, pub_key: enc.validatorJson(chain.validator).pub_key, power: String(chain.validator.votingPower), name: options.moniker ?? "devnet" }],
          app_hash: "",
          app_state: {},
        },
      }),
      consensus_params: (p) => ({ block_height: String(int(p, "height") ?? chain.height), consensus_params: enc.consensusParamsJson() }),
      num_unconfirmed_txs: () => ({ n_txs: String(chain.mempool.size), total: String(chain.mempool.size), total_bytes: String(chain.mempool.bytes), txs: null }),
      broadcast_tx_sync: (p) => {
        const { hash, result } = this.#checkTx(p);
        return { code: result.code, data: result.data.length ? toBase64(result.data) : "", log: result.log, codespace: result.codespace, hash };
      },
      broadcast_tx_async: (p) => {
        const { hash } = this.#checkTx(p);
        return { code: 0, data: "", log: "", codespace: "", hash };
      },
      broadcast_tx_commit: async (p) => {
        let out;
        try {
          out = await chain.broadcastCommit(txParam(p));
        } catch (err) {
          throw rpcErrors.internal((err as Error).message);
        }
        return {
          check_tx: enc.txResultJson(out.result),
          tx_result: out.tx ? enc.txResultJson(out.tx.result) : enc.txResultJson({ code: 0, codespace: "", log: "", data: new Uint8Array(), gasWanted: 0, gasUsed: 0, events: [] }),
          hash: out.hash,
          height: String(out.tx?.height ?? 0),
        };
      },
      tx: (p) => {
        const raw = bytes(p, "hash", "base64");
        if (!raw) throw rpcErrors.invalidParams("hash is required");
        const hash = Buffer.from(raw).toString("hex").toUpperCase();
        const tx = chain.blocks.tx(hash);
        if (!tx) throw rpcErrors.internal(`tx (${hash}) not found`);
        return enc.txJson(tx);
      },
      tx_search: (p) => {
        const query = str(p, "query");
        const page = int(p, "page") ?? 1;
        const perPage = Math.min(Math.max(int(p, "per_page") ?? 30, 1), 100);
        const orderBy = str(p, "order_by", "asc") || "asc";
        if (orderBy !== "asc" && orderBy !== "desc") throw rpcErrors.internal("expected order_by to be either `asc` or `desc` or empty");
        let conditions;
        try {
          conditions = parseQuery(query);
        } catch (err) {
          if (err instanceof QuerySyntaxError) throw rpcErrors.internal(err.message);
          throw err;
        }
        const result = chain.blocks.search(conditions, page, perPage, orderBy);
        const pages = Math.max(1, Math.ceil(result.total / perPage));
        if (page < 1 || page > pages) throw rpcErrors.internal(`page should be within [1, ${pages}] range, given ${page}`);
        return { txs: result.txs.map(enc.txJson), total_count: String(result.total) };
      },
    };
  }

  /** Names of the methods answered. */
  get names(): string[] {
    return Object.keys(this.#methods);
  }

  /** Runs `method`; throws {@link RpcError}. */
  async call(method: string, params: RpcParams): Promise<unknown> {
    const fn = this.#methods[method];
    if (!fn) throw rpcErrors.methodNotFound(method);
    try {
      return await fn(params);
    } catch (err) {
      if (err instanceof RpcError) throw err;
      this.#chain.logger.error({ err, method }, "rpc method failed");
      throw rpcErrors.internal((err as Error)?.message ?? String(err));
    }
  }

  #status() {
    const chain = this.#chain;
    const latest = chain.blocks.latest();
    const earliest = chain.blocks.get(chain.blocks.earliestHeight);
    const placeholder = chain.genesisAppHash;
    return {
      node_info: {
        protocol_version: enc.PROTOCOL_VERSION,
        id: this.#nodeId,
        listen_addr: this.#options.listenAddress,
        network: chain.chainId,
        version: enc.COMET_VERSION,
        channels: "40202122233038606100",
        moniker: this.#options.moniker ?? "devnet",
        other: { tx_index: "on", rpc_address: this.#options.listenAddress },
      },
      sync_info: {
        latest_block_hash: latest?.blockId.hash ?? placeholder,
        latest_app_hash: latest?.resultingAppHash ?? placeholder,
        latest_block_height: String(chain.height),
        latest_block_time: rfc3339(latest?.header.timeMs ?? chain.genesisTimeMs),
        earliest_block_hash: earliest?.blockId.hash ?? placeholder,
        earliest_app_hash: earliest?.header.appHash ?? placeholder,
        earliest_block_height: String(earliest?.header.height ?? 0),
        earliest_block_time: rfc3339(earliest?.header.timeMs ?? chain.genesisTimeMs),
        catching_up: false,
      },
      validator_info: enc.validatorJson(chain.validator),
    };
  }

  #blockResponse(block: CommittedBlock) {
    return { block_id: enc.blockIdJson(block.blockId), block: enc.blockJson(block, this.#chain.validator) };
  }

  /** The block at `height` (latest if undefined), with CometBFT's errors for missing heights. */
  #block(height: number | undefined): CommittedBlock {
    const store = this.#chain.blocks;
    const h = height ?? store.latestHeight;
    if (h <= 0) throw rpcErrors.internal(`height must be greater than 0, but got ${h}`);
    if (h > store.latestHeight) throw rpcErrors.internal(`height ${h} must be less than or equal to the current blockchain height ${store.latestHeight}`);
    const block = store.get(h);
    if (!block) throw rpcErrors.internal(`height ${h} is not available, lowest height is ${store.earliestHeight}`);
    return block;
  }

  #findByHash(hash: string): CommittedBlock | undefined {
    const store = this.#chain.blocks;
    for (let h = store.latestHeight; h >= store.earliestHeight && h > 0; h--) {
      const b = store.get(h);
      if (b?.blockId.hash === hash) return b;
    }
    return undefined;
  }

  #blockchain(min: number | undefined, max: number | undefined) {
    const store = this.#chain.blocks;
    let hi = Math.min(max && max > 0 ? max : store.latestHeight, store.latestHeight);
    const lo = Math.max(min && min > 0 ? min : 1, store.earliestHeight, hi - 19);
    if (lo > hi && hi > 0) throw rpcErrors.internal(`min height ${lo} can't be greater than max height ${hi}`);
    const metas = [];
    for (; hi >= lo && hi > 0; hi--) {
      const block = store.get(hi);
      if (block) metas.push(enc.blockMetaJson(block));
    }
    return { last_height: String(store.latestHeight), block_metas: metas };
  }

  #checkTx(p: RpcParams) {
    try {
      return this.#chain.checkTx(txParam(p));
    } catch (err) {
      if (err instanceof MempoolError) throw rpcErrors.internal(err.message);
      throw err;
    }
  }
}

function txParam(p: RpcParams): Uint8Array {
  const tx = bytes(p, "tx", "base64");
  if (!tx || tx.length === 0) throw rpcErrors.invalidParams("tx is required");
  return tx;
}

/** An integer parameter (JSON number or decimal string; absent, null or "" → undefined). */
function int(p: RpcParams, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(String(v).replace(/^"|"$/g, ""));
  if (!Number.isInteger(n)) throw rpcErrors.invalidParams(`${name}: expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** A string parameter (quotes from a GET query string already stripped by the transport). */
function str(p: RpcParams, name: string, fallback?: string): string {
  const v = p[name];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw rpcErrors.invalidParams(`${name} is required`);
  }
  if (typeof v !== "string") throw rpcErrors.invalidParams(`${name}: expected a string`);
  return v;
}

/** Strict hex to bytes (node's decoder; cosmjs' pure-JS one was about 6 % of the node's time in a liquidation burst). */
function hexBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return fromHex(hex); // throws cosmjs' error
  return Buffer.from(hex, "hex");
}

/**
 * A bytes parameter: `0x`-prefixed hex always; otherwise the JSON-RPC encoding of the field
 * (`hex` for abci_query data, `base64` for tx bytes and hashes; a 64-char hex hash is accepted too).
 */
function bytes(p: RpcParams, name: string, encoding: "hex" | "base64"): Uint8Array | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw rpcErrors.invalidParams(`${name}: expected a string`);
  try {
    if (/^0x/i.test(v)) return hexBytes(v.slice(2));
    if (encoding === "hex") return hexBytes(v);
    if (name === "hash" && /^[0-9a-fA-F]{64}$/.test(v)) return hexBytes(v);
    return fromBase64(v);
  } catch (err) {
    throw rpcErrors.invalidParams(`${name}: ${(err as Error).message}`);
  }
}
