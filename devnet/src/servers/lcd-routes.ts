import { toBase64, toBech32 } from "@cosmjs/encoding";
import { decStr, dec } from "../math/decimal.js";
import { rfc3339 } from "../chain/block-builder.js";
import type { Chain } from "../chain/chain.js";
import { MempoolError } from "../chain/chain.js";
import { simulateTxBytes } from "../chain/abci-query.js";
import { GrpcCode, QueryError } from "../chain/errors.js";
import type { PageRequest, PageResponse } from "../chain/queries.js";
import { SIMULATE_GAS_WANTED } from "../chain/tx-runner.js";
import type { CommittedBlock, TxResult } from "../chain/types.js";
import { getTxJson, txResponseJson } from "./lcd-tx.js";
import { COMET_VERSION, eventJson } from "./rpc-encode.js";

/** A parsed LCD request: path parameters, the query string and the JSON body (POST). */
export interface LcdRequest {
  params: string[];
  query: URLSearchParams;
  body: unknown;
}

/** One LCD route: an HTTP method, a path pattern whose groups become `params`, and a handler. */
export interface LcdRoute {
  method: "GET" | "POST";
  pattern: RegExp;
  handle(req: LcdRequest): unknown;
}

const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

/**
 * The REST (grpc-gateway) routes the Mars bots use, answering with the gateway's proto-JSON
 * (snake_case fields, int64 as strings, bytes as base64) and failing with {@link QueryError}s.
 */
export function lcdRoutes(chain: Chain): LcdRoute[] {
  const q = chain.abci.queries;
  const contract = "/cosmwasm/wasm/v1/contract/([^/]+)";
  return [
    get(`${contract}/smart/([^/]+)`, ({ params: [addr, data] }) => ({ data: JSON.parse(Buffer.from(q.smart(addr!, pathBase64(data!))).toString("utf8")) })),
    get(`${contract}/raw/([^/]+)`, ({ params: [addr, key] }) => {
      const value = q.raw(addr!, pathBase64(key!));
      return { data: value ? toBase64(value) : null };
    }),
    get(`${contract}/state`, ({ params: [addr], query }) => {
      const { models, pagination } = q.allState(addr!, pageFromQuery(query));
      return { models: models.map((m) => ({ key: Buffer.from(m.key).toString("hex").toUpperCase(), value: toBase64(m.value) })), pagination: pageJson(pagination) };
    }),
    get(contract, ({ params: [addr] }) => {
      const c = q.contractInfo(addr!);
      return { address: c.address, contract_info: { code_id: String(c.codeId), creator: c.creator, admin: c.admin, label: c.label, created: null, ibc_port_id: "", ibc2_port_id: "", extension: null } };
    }),
    get("/cosmos/bank/v1beta1/balances/([^/]+)/by_denom", ({ params: [addr], query }) => ({ balance: q.balance(addr!, query.get("denom") ?? "") })),
    get("/cosmos/bank/v1beta1/balances/([^/]+)", ({ params: [addr], query }) => {
      const { balances, pagination } = q.allBalances(addr!, pageFromQuery(query));
      return { balances, pagination: pageJson(pagination) };
    }),
    get("/cosmos/auth/v1beta1/accounts/([^/]+)", ({ params: [addr] }) => {
      const a = q.account(addr!);
      return {
        account: {
          "@type": "/cosmos.auth.v1beta1.BaseAccount",
          address: a.address,
          pub_key: a.pubkey ? { "@type": "/cosmos.crypto.secp256k1.PubKey", key: toBase64(a.pubkey) } : null,
          account_number: String(a.accountNumber),
          sequence: String(a.sequence),
        },
      };
    }),
    post("/cosmos/tx/v1beta1/simulate", ({ body }) => {
      const out = chain.simulate(simulateTxBytes({ txBytes: bodyBase64(body, "tx_bytes", false), tx: undefined }));
      return {
        gas_info: { gas_wanted: SIMULATE_GAS_WANTED, gas_used: String(out.gasUsed) },
        result: { data: toBase64(out.data), log: "", events: out.events.map(eventJson), msg_responses: out.msgResponses.map((m) => ({ "@type": m.typeUrl })) },
      };
    }),
    post("/cosmos/tx/v1beta1/txs", ({ body }) => {
      const bytes = bodyBase64(body, "tx_bytes", true);
      const mode = String((body as Record<string, unknown>)?.mode ?? "BROADCAST_MODE_SYNC");
      if (!["BROADCAST_MODE_SYNC", "BROADCAST_MODE_ASYNC", "sync", "async"].includes(mode)) {
        throw new QueryError(GrpcCode.InvalidArgument, `unsupported broadcast mode ${mode}; supported modes: BROADCAST_MODE_SYNC, BROADCAST_MODE_ASYNC`, false);
      }
      let out;
      try {
        out = chain.checkTx(bytes);
      } catch (err) {
        if (err instanceof MempoolError) throw new QueryError(GrpcCode.Unknown, err.message, false);
        throw err;
      }
      const result: TxResult = mode.toLowerCase().includes("async") ? { ...out.result, code: 0, codespace: "", log: "" } : out.result;
      return { tx_response: txResponseJson(out.hash, 0, result) };
    }),
    get("/cosmos/tx/v1beta1/txs/([0-9A-Fa-f]{64})", ({ params: [hash] }) => getTxJson(chain, hash!)),
    get("/cosmos/base/tendermint/v1beta1/blocks/latest", () => blockResponse(chain, chain.blocks.latest())),
    get("/cosmos/base/tendermint/v1beta1/blocks/(\\d+)", ({ params: [h] }) => {
      const height = Number(h);
      if (height > chain.height) throw new QueryError(GrpcCode.InvalidArgument, "requested block height is bigger then the chain length", false);
      return blockResponse(chain, chain.blocks.get(height));
    }),
    get("/cosmos/base/tendermint/v1beta1/node_info", () => ({
      default_node_info: {
        protocol_version: { p2p: "8", block: "11", app: "0" },
        default_node_id: "",
        listen_addr: "tcp://0.0.0.0:26656",
        network: chain.chainId,
        version: COMET_VERSION,
        channels: "QCAhIiMwOGBhAA==",
        moniker: "devnet",
        other: { tx_index: "on", rpc_address: "tcp://127.0.0.1:26657" },
      },
      application_version: { name: "devnet", app_name: "devnetd", version: "0.50.0", git_commit: "", build_tags: "", go_version: "", build_deps: [], cosmos_sdk_version: "v0.50.9" },
    })),
    get("/cosmos/base/tendermint/v1beta1/syncing", () => ({ syncing: false })),
    get("/osmosis/txfees/v1beta1/cur_eip_base_fee", () => ({ base_fee: legacyDec(chain.minGasPrice) })),
    get("/gaia/globalfee/v1beta1/params", () => ({
      params: { minimum_gas_prices: [{ denom: chain.gasDenom, amount: legacyDec(chain.minGasPrice) }], bypass_min_fee_msg_types: [], max_total_bypass_min_fee_msg_gas_usage: "1000000" },
    })),
  ];
}

function get(path: string, handle: (req: LcdRequest) => unknown): LcdRoute {
  return { method: "GET", pattern: new RegExp(`^${path}/?$`), handle };
}

function post(path: string, handle: (req: LcdRequest) => unknown): LcdRoute {
  return { method: "POST", pattern: new RegExp(`^${path}/?$`), handle };
}

/** A cosmos `LegacyDec` as proto-JSON prints it: 18 fractional digits. */
function legacyDec(s: string): string {
  const [int, frac = ""] = decStr(dec(s)).split(".");
  return `${int}.${frac.padEnd(18, "0")}`;
}

/** Base64 from a path segment (standard or URL-safe alphabet, padding optional). */
function pathBase64(segment: string): Uint8Array {
  const text = decodeURIComponent(segment).replace(/ /g, "+");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new QueryError(GrpcCode.InvalidArgument, `${text} is not valid base64`, false);
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

function bodyBase64(body: unknown, field: string, required: boolean): Uint8Array {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  if (typeof v !== "string" || v === "") {
    if (!required) return new Uint8Array();
    throw new QueryError(GrpcCode.InvalidArgument, "invalid empty tx", false);
  }
  return pathBase64(v);
}

/** `pagination.key|offset|limit|count_total|reverse` from a query string. */
export function pageFromQuery(query: URLSearchParams): PageRequest {
  const num = (name: string) => {
    const v = query.get(`pagination.${name}`);
    if (v === null || v === "") return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new QueryError(GrpcCode.InvalidArgument, `pagination.${name}: expected an unsigned integer, got ${v}`, false);
    return n;
  };
  const bool = (name: string) => query.get(`pagination.${name}`) === "true";
  const key = query.get("pagination.key");
  return { key: key ? pathBase64(key) : undefined, offset: num("offset"), limit: num("limit"), countTotal: bool("count_total"), reverse: bool("reverse") };
}

function pageJson(p: PageResponse) {
  return { next_key: p.nextKey ? toBase64(p.nextKey) : null, total: String(p.total) };
}

function blockResponse(chain: Chain, block: CommittedBlock | undefined) {
  if (!block) throw new QueryError(GrpcCode.NotFound, "block not found", false);
  const h = block.header;
  const id = (x: { hash: string; partsTotal: number; partsHash: string } | undefined) =>
    x ? { hash: b64(x.hash), part_set_header: { total: x.partsTotal, hash: b64(x.partsHash) } } : { hash: "", part_set_header: { total: 0, hash: "" } };
  const header = {
    version: { block: "11", app: "0" },
    chain_id: h.chainId,
    height: String(h.height),
    time: rfc3339(h.timeMs),
    last_block_id: id(h.lastBlockId),
    last_commit_hash: b64(h.lastCommitHash),
    data_hash: b64(h.dataHash),
    validators_hash: b64(h.validatorsHash),
    next_validators_hash: b64(h.nextValidatorsHash),
    consensus_hash: b64(h.consensusHash),
    app_hash: b64(h.appHash),
    last_results_hash: b64(h.lastResultsHash),
    evidence_hash: b64(h.evidenceHash),
    proposer_address: b64(h.proposerAddress),
  };
  const c = block.lastCommit;
  const lastCommit = c
    ? { height: String(c.height), round: 0, block_id: id(c.blockId), signatures: [{ block_id_flag: "BLOCK_ID_FLAG_COMMIT", validator_address: b64(chain.validator.address), timestamp: rfc3339(c.timeMs), signature: toBase64(c.signature) }] }
    : { height: "0", round: 0, block_id: id(undefined), signatures: [] };
  const body = { data: { txs: block.txs.map((t) => toBase64(t.tx)) }, evidence: { evidence: [] }, last_commit: lastCommit };
  const valcons = toBech32(`${chain.prefix}valcons`, Buffer.from(h.proposerAddress, "hex"));
  return { block_id: id(block.blockId), block: { header, ...body }, sdk_block: { header: { ...header, proposer_address: valcons }, ...body } };
}
