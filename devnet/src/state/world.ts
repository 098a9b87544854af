import { sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { ContractError, type BlockInfo, type Coin, type Contract, type CosmosMsg, type ExecuteContext, type QueryContext } from "../contracts/host.js";
import { Bank } from "./bank.js";
import { Journal } from "./journal.js";
import { KvStore } from "./kv-store.js";

/** A cosmos-sdk ABCI event (what `tx`/`block_results` return and `tx_search` indexes). */
export interface ChainEvent {
  type: string;
  attributes: { key: string; value: string }[];
}

/** An instantiated contract: its model, its store and wasmd-style metadata. */
export interface ContractInstance {
  address: string;
  codeId: number;
  label: string;
  admin: string;
  creator: string;
  model: Contract;
  store: KvStore;
}

/**
 * The devnet's whole state apart from blocks and transactions: the journal, bank balances and
 * the contracts with their stores, plus the dispatcher that runs contract calls the way wasmd
 * does (funds moved first, then `execute`, then the Response's messages in order, depth-first;
 * events `execute` and `wasm` with `_contract_address`). The chain (tx decoding, fees, blocks)
 * and the tests of the contract models both drive this.
 */
export class World {
  readonly journal = new Journal();
  readonly bank = new Bank(this.journal);
  readonly contracts = new Map<string, ContractInstance>();
  readonly prefix: string;
  block: BlockInfo;
  #nextCodeId = 1;

  constructor(options: { prefix: string; chainId: string; height?: number; time?: number }) {
    this.prefix = options.prefix;
    this.block = { chainId: options.chainId, height: options.height ?? 1, time: options.time ?? 1_700_000_000 };
  }

  /** A deterministic contract address (32-byte hash of the label, like wasmd's 63-char osmo1... addresses). */
  contractAddress(label: string): string {
    return toBech32(this.prefix, sha256(new TextEncoder().encode(`contract:${label}`)));
  }

  /** Registers a model under a deterministic address; returns the instance. */
  instantiate(model: Contract, label: string, creator: string): ContractInstance {
    const address = this.contractAddress(label);
    if (this.contracts.has(address)) throw new Error(`contract ${label} already instantiated`);
    const store = new KvStore(this.journal);
    // cw2 contract_info, as every Mars contract stores it.
    store.set("contract_info", JSON.stringify({ contract: model.contractName, version: model.contractVersion }));
    const instance = { address, codeId: this.#nextCodeId++, label, admin: creator, creator, model, store };
    this.contracts.set(address, instance);
    return instance;
  }

  instance(address: string): ContractInstance {
    const c = this.contracts.get(address);
    if (!c) throw new ContractError(`no such contract: ${address}`);
    return c;
  }

  /** Smart query; errors are thrown as ContractError with the contract's message. */
  query<T = unknown>(address: string, msg: unknown): T {
    const c = this.instance(address);
    return c.model.query(this.#queryContext(c), msg) as T;
  }

  /**
   * Executes a contract call from `sender` with `funds`, then its messages; returns the events in
   * emission order. Atomic: on any error everything since the call started is rolled back and the
   * error rethrown. Nested calls (messages) share the outer transaction's journal.
   */
  execute(sender: string, address: string, msg: unknown, funds: readonly Coin[] = []): ChainEvent[] {
    const mark = this.journal.begin();
    try {
      const events: ChainEvent[] = [];
      this.#execute(sender, address, msg, funds, events);
      this.journal.commit(mark);
      return events;
    } catch (err) {
      this.journal.rollback(mark);
      throw err;
    }
  }

  /** Runs a bank send with the events the bank module emits. */
  bankSend(from: string, to: string, amount: readonly Coin[], events: ChainEvent[]): void {
    if (amount.length === 0) return;
    this.bank.send(from, to, amount);
    const coins = amount.map((c) => `${c.amount}${c.denom}`).join(",");
    events.push(
      { type: "coin_spent", attributes: [{ key: "spender", value: from }, { key: "amount", value: coins }] },
      { type: "coin_received", attributes: [{ key: "receiver", value: to }, { key: "amount", value: coins }] },
      { type: "transfer", attributes: [{ key: "recipient", value: to }, { key: "sender", value: from }, { key: "amount", value: coins }] },
    );
  }

  #execute(sender: string, address: string, msg: unknown, funds: readonly Coin[], events: ChainEvent[]): void {
    const c = this.instance(address);
    this.bankSend(sender, address, funds, events);
    events.push({ type: "execute", attributes: [{ key: "_contract_address", value: address }] });
    const ctx: ExecuteContext = { ...this.#queryContext(c), sender, funds: [...funds] };
    const res = c.model.execute(ctx, msg);
    if (res.attributes.length) events.push({ type: "wasm", attributes: [{ key: "_contract_address", value: address }, ...res.attributes] });
    for (const e of res.events) events.push({ type: `wasm-${e.type}`, attributes: [{ key: "_contract_address", value: address }, ...e.attributes] });
    for (const m of res.messages) this.#runMessage(address, m, events);
  }

  #runMessage(from: string, m: CosmosMsg, events: ChainEvent[]): void {
    if ("bank" in m) this.bankSend(from, m.bank.send.to_address, m.bank.send.amount, events);
    else this.#execute(from, m.wasm.execute.contract_addr, m.wasm.execute.msg, m.wasm.execute.funds, events);
  }

  #queryContext(c: ContractInstance): QueryContext {
    return {
      block: this.block,
      self: c.address,
      store: c.store,
      query: <T>(contract: string, msg: unknown) => this.query<T>(contract, msg),
      balance: (address, denom) => this.bank.balance(address, denom),
    };
  }
}
