import type { Coin } from "../contracts/host.js";
import { ContractError } from "../contracts/host.js";
import type { ContractInstance } from "../state/world.js";
import type { AuthAccount } from "./accounts.js";
import type { Chain } from "./chain.js";
import { GrpcCode, QueryError } from "./errors.js";
import { addressProblem } from "./tx-decode.js";

/** cosmos-sdk `PageRequest` (key and offset are exclusive; limit 0 means the default 100). */
export interface PageRequest {
  key?: Uint8Array;
  offset?: number;
  limit?: number;
  countTotal?: boolean;
  reverse?: boolean;
}

/** cosmos-sdk `PageResponse`: `nextKey` undefined at the end; `total` only for offset paging with countTotal. */
export interface PageResponse {
  nextKey: Uint8Array | undefined;
  total: number;
}

/** One raw contract state entry. */
export interface StateModel {
  key: Uint8Array;
  value: Uint8Array;
}

const DEFAULT_LIMIT = 100;
const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");

/**
 * The gRPC query services the devnet answers (wasm, auth, bank), shared by the ABCI query router
 * and the LCD routes. Failures throw {@link QueryError}s worded as the real services word them.
 */
export class ChainQueries {
  constructor(readonly chain: Chain) {}

  /** wasm `SmartContractState`: the contract's JSON answer as bytes. */
  smart(address: string, queryData: Uint8Array): Uint8Array {
    const instance = this.contract(address);
    let msg: unknown;
    try {
      msg = JSON.parse(Buffer.from(queryData).toString("utf8"));
    } catch {
      throw new QueryError(GrpcCode.InvalidArgument, "invalid query data");
    }
    try {
      const answer = this.chain.world.query(instance.address, msg);
      return Buffer.from(JSON.stringify(answer ?? null), "utf8");
    } catch (err) {
      if (!(err instanceof ContractError)) this.chain.logger.warn({ err, contract: address }, "contract model query threw a non-ContractError");
      const text = err instanceof Error ? err.message : String(err);
      throw new QueryError(GrpcCode.Unknown, `Generic error: ${text}: query wasm contract failed`, false);
    }
  }

  /** wasm `RawContractState`: the value under a raw key (undefined when absent). */
  raw(address: string, key: Uint8Array): Uint8Array | undefined {
    const value = this.contract(address).store.get(latin1(key));
    return value === undefined ? undefined : Buffer.from(value, "utf8");
  }

  /** wasm `AllContractState`: raw entries in key order, paginated as cosmos-sdk's `query.Paginate`. */
  allState(address: string, page: PageRequest): { models: StateModel[]; pagination: PageResponse } {
    const store = this.contract(address).store;
    const { offset, limit, key, countTotal } = pageParams(page);
    const start = key && !page.reverse ? latin1(key) : "";
    const end = key && page.reverse ? `${latin1(key)}\u0000` : undefined;
    const result = store.page(start, end, { offset: key ? 0 : offset, limit, reverse: page.reverse });
    return {
      models: result.entries.map(([k, v]) => ({ key: Buffer.from(k, "latin1"), value: Buffer.from(v, "utf8") })),
      pagination: { nextKey: result.next === undefined ? undefined : Buffer.from(result.next, "latin1"), total: countTotal ? result.total : 0 },
    };
  }

  /** wasm `ContractInfo`. */
  contractInfo(address: string): ContractInstance {
    return this.contract(address);
  }

  /** auth `Account` (NotFound for addresses that never received funds). */
  account(address: string): AuthAccount {
    this.address(address);
    const account = this.chain.account(address);
    if (!account) throw new QueryError(GrpcCode.NotFound, `account ${address} not found`);
    return account;
  }

  /** bank `Balance`. */
  balance(address: string, denom: string): Coin {
    this.address(address);
    if (!denom) throw new QueryError(GrpcCode.InvalidArgument, "invalid denom");
    return { denom, amount: this.chain.world.bank.balance(address, denom).toString() };
  }

  /** bank `AllBalances`: non-zero balances sorted by denom, paginated by denom. */
  allBalances(address: string, page: PageRequest): { balances: Coin[]; pagination: PageResponse } {
    this.address(address);
    let all = this.chain.world.bank.balances(address);
    if (page.reverse) all = all.reverse();
    const { offset, limit, key, countTotal } = pageParams(page);
    let from = offset;
    if (key) {
      const k = Buffer.from(key).toString("utf8");
      from = all.findIndex((c) => (page.reverse ? c.denom <= k : c.denom >= k));
      if (from < 0) from = all.length;
    }
    const balances = all.slice(from, from + limit);
    const next = all[from + limit];
    return {
      balances,
      pagination: { nextKey: next ? Buffer.from(next.denom, "utf8") : undefined, total: countTotal ? all.length : 0 },
    };
  }

  /** The instance at `address`, or the error wasmd gives for a missing contract. */
  contract(address: string): ContractInstance {
    this.address(address);
    const instance = this.chain.world.contracts.get(address);
    if (!instance) throw new QueryError(GrpcCode.NotFound, `address ${address}: no such contract`, false);
    return instance;
  }

  #checked = new Set<string>();

  /** Validates a bech32 address of this chain (InvalidArgument otherwise). */
  address(address: string): void {
    if (this.#checked.has(address)) return;
    const problem = addressProblem(address, this.chain.prefix);
    if (problem) throw new QueryError(GrpcCode.InvalidArgument, problem, false);
    if (this.#checked.size > 100_000) this.#checked.clear();
    this.#checked.add(address);
  }
}

/**
 * `query.Paginate`'s reading of a PageRequest: key and offset are exclusive, a missing limit means
 * 100 and turns on counting, and the total is only ever counted for offset paging.
 */
function pageParams(page: PageRequest): { offset: number; limit: number; key: Uint8Array | undefined; countTotal: boolean } {
  const key = page.key && page.key.length > 0 ? page.key : undefined;
  const offset = page.offset ?? 0;
  if (key && offset > 0) throw new QueryError(GrpcCode.InvalidArgument, "invalid request, either offset or key is expected, got both", false);
  const limited = page.limit !== undefined && page.limit > 0;
  return { offset, limit: limited ? page.limit! : DEFAULT_LIMIT, key, countTotal: !key && (!!page.countTotal || !limited) };
}
