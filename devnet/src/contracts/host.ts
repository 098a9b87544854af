import type { KvStore } from "../state/kv-store.js";

/**
 * The interface between the chain and the contract models. A model is a plain class that
 * executes and answers queries the way the CosmWasm contract does: it reads and writes its own
 * {@link KvStore} (cw-storage-plus layout, JSON values), may query other contracts, and returns a
 * {@link Response} whose messages the chain runs after it, in order, depth-first, as wasmd does.
 * Any thrown {@link ContractError} reverts the whole transaction with its message.
 */

/** A coin as in cosmos-sdk: an integer amount (decimal string) of a denom. */
export interface Coin {
  denom: string;
  amount: string;
}

/** A message a contract returns for the chain to run after it (CosmWasm `CosmosMsg` subset). */
export type CosmosMsg =
  | { bank: { send: { to_address: string; amount: Coin[] } } }
  | { wasm: { execute: { contract_addr: string; msg: unknown; funds: Coin[] } } };

/** A typed event; `wasm` attributes go into `attributes` of the Response instead. */
export interface ContractEvent {
  type: string;
  attributes: { key: string; value: string }[];
}

/** What an execute call returns. */
export interface Response {
  /** Attributes of the contract's `wasm` event (the chain adds `_contract_address`). */
  attributes: { key: string; value: string }[];
  /** Extra events, emitted as `wasm-<type>`. */
  events: ContractEvent[];
  messages: CosmosMsg[];
}

/** An empty Response to build on: `response().attr("action", "deposit")`. */
export function response(): ResponseBuilder {
  return new ResponseBuilder();
}

export class ResponseBuilder implements Response {
  attributes: { key: string; value: string }[] = [];
  events: ContractEvent[] = [];
  messages: CosmosMsg[] = [];
  attr(key: string, value: string | number | bigint): this {
    this.attributes.push({ key, value: String(value) });
    return this;
  }
  event(type: string, attrs: Record<string, string | number | bigint>): this {
    this.events.push({ type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value: String(value) })) });
    return this;
  }
  send(to: string, amount: Coin[]): this {
    const nonZero = amount.filter((c) => BigInt(c.amount) > 0n);
    if (nonZero.length) this.messages.push({ bank: { send: { to_address: to, amount: nonZero } } });
    return this;
  }
  execute(contract: string, msg: unknown, funds: Coin[] = []): this {
    this.messages.push({ wasm: { execute: { contract_addr: contract, msg, funds } } });
    return this;
  }
}

/** A failure inside a contract; `message` is the contract's error string (spec §2.7, §6.5). */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContractError";
  }
}

/** The block a call runs in. */
export interface BlockInfo {
  height: number;
  /** Unix seconds (block time; deterministic, advanced by the block time each block). */
  time: number;
  chainId: string;
}

/** What a query sees: its own store, the block, other contracts and bank balances. */
export interface QueryContext {
  block: BlockInfo;
  /** This contract's address. */
  self: string;
  store: KvStore;
  /** Smart query of another contract (throws its ContractError). */
  query<T = unknown>(contract: string, msg: unknown): T;
  /** Bank balance of an address (integer base units). */
  balance(address: string, denom: string): bigint;
}

/** What an execute call sees in addition: the sender and the funds it attached. */
export interface ExecuteContext extends QueryContext {
  sender: string;
  /** Funds sent with the call; already transferred to this contract when execute runs. */
  funds: Coin[];
}

/** A contract model. */
export interface Contract {
  /** cw2 name, e.g. `crates.io:mars-red-bank`. */
  readonly contractName: string;
  /** cw2 version, e.g. `2.1.0`. */
  readonly contractVersion: string;
  execute(ctx: ExecuteContext, msg: unknown): Response;
  query(ctx: QueryContext, msg: unknown): unknown;
}

/** The variant of the Mars deployment being modelled (spec §0). */
export type MarsVariant = "osmosis" | "neutron";

/** Splits a cw_serde enum message `{"variant": {...}}` (or a bare string variant) into its parts. */
export function variant(msg: unknown): [string, Record<string, unknown>] {
  if (typeof msg === "string") return [msg, {}];
  if (msg && typeof msg === "object" && !Array.isArray(msg)) {
    const keys = Object.keys(msg);
    if (keys.length === 1) {
      const inner = (msg as Record<string, unknown>)[keys[0]!];
      return [keys[0]!, (inner && typeof inner === "object" ? inner : { value: inner }) as Record<string, unknown>];
    }
  }
  throw new ContractError(`Error parsing into type: expected a single-variant message, got ${JSON.stringify(msg)?.slice(0, 100)}`);
}
