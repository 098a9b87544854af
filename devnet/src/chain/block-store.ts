import { addEvents, matchesAll, type Condition } from "./query.js";
import type { CommittedBlock, EventMap, IndexedTx } from "./types.js";

/** Composite keys indexed for fast `tx_search` equality lookups (others are found by scanning). */
export const DEFAULT_INDEXED_KEYS = [
  "message.sender",
  "message.action",
  "execute._contract_address",
  "wasm._contract_address",
  "transfer.recipient",
  "transfer.sender",
  "tx.acc_seq",
  "tx.fee_payer",
] as const;

/** Options of {@link BlockStore}. */
export interface BlockStoreOptions {
  /** Full blocks, results and tx index entries kept for the last this many heights. */
  retainBlocks: number;
  /** Composite keys with an inverted index (see {@link DEFAULT_INDEXED_KEYS}). */
  indexedKeys?: readonly string[];
}

/** One page of a tx search. */
export interface TxSearchPage {
  total: number;
  txs: IndexedTx[];
}

/**
 * Committed blocks with their results, the tx index by hash, and `tx_search`. Memory is bounded:
 * only the last `retainBlocks` heights are kept (blocks, txs, index entries); older ones are
 * pruned as new blocks arrive, with work proportional to the pruned block. Equality conditions on
 * indexed keys use an inverted index of heights; everything else scans the retained heights in
 * the `tx.height` range the query allows.
 */
export class BlockStore {
  readonly #blocks = new Map<number, CommittedBlock>();
  readonly #byHash = new Map<string, IndexedTx>();
  readonly #inverted = new Map<string, number[]>();
  readonly #indexedKeys: Set<string>;
  readonly #retain: number;
  #earliest = 0;
  #latest = 0;

  constructor(options: BlockStoreOptions) {
    if (!(options.retainBlocks >= 1)) throw new Error(`retainBlocks must be at least 1, got ${options.retainBlocks}`);
    this.#retain = options.retainBlocks;
    this.#indexedKeys = new Set(options.indexedKeys ?? DEFAULT_INDEXED_KEYS);
  }

  /** Height of the last committed block (0 before the first). */
  get latestHeight(): number {
    return this.#latest;
  }

  /** Lowest height still stored (0 before the first block). */
  get earliestHeight(): number {
    return this.#earliest;
  }

  get(height: number): CommittedBlock | undefined {
    return this.#blocks.get(height);
  }

  latest(): CommittedBlock | undefined {
    return this.#blocks.get(this.#latest);
  }

  /** A retained transaction by its upper-case hex hash. */
  tx(hash: string): IndexedTx | undefined {
    return this.#byHash.get(hash.toUpperCase());
  }

  /** Stores a new block (height must follow the latest), indexes its txs and prunes the oldest. */
  add(block: CommittedBlock): void {
    const h = block.header.height;
    if (this.#latest !== 0 && h !== this.#latest + 1) throw new Error(`block store: expected height ${this.#latest + 1}, got ${h}`);
    this.#blocks.set(h, block);
    if (this.#earliest === 0) this.#earliest = h;
    this.#latest = h;
    for (const tx of block.txs) {
      this.#byHash.set(tx.hash, tx);
      for (const kv of this.#indexedPairs(tx)) {
        const heights = this.#inverted.get(kv);
        if (!heights) this.#inverted.set(kv, [h]);
        else if (heights[heights.length - 1] !== h) heights.push(h);
      }
    }
    while (this.#latest - this.#earliest + 1 > this.#retain) this.#prune(this.#earliest++);
  }

  /**
   * Transactions matching every condition, ordered by (height, index) ascending or descending,
   * one page (1-based) of `perPage`; `total` counts all matches.
   */
  search(conditions: readonly Condition[], page: number, perPage: number, order: "asc" | "desc"): TxSearchPage {
    const hashCond = conditions.find((c) => c.key === "tx.hash" && c.op === "=");
    let candidates: IndexedTx[];
    if (hashCond) {
      const tx = this.tx(String(hashCond.value));
      candidates = tx ? [tx] : [];
    } else {
      candidates = [];
      for (const h of this.#candidateHeights(conditions)) {
        const block = this.#blocks.get(h);
        if (block) candidates.push(...block.txs);
      }
    }
    const rest = conditions.filter((c) => c !== hashCond);
    const matches = candidates.filter((tx) => matchesAll(rest, txEventMap(tx)));
    if (order === "desc") matches.reverse();
    const start = (page - 1) * perPage;
    return { total: matches.length, txs: matches.slice(start, start + perPage) };
  }

  /** Heights worth scanning, ascending: the tx.height range, narrowed by the inverted index. */
  #candidateHeights(conditions: readonly Condition[]): number[] {
    let lo = this.#earliest;
    let hi = this.#latest;
    for (const c of conditions) {
      if (c.key !== "tx.height" || typeof c.value !== "number") continue;
      const v = c.value;
      if (c.op === "=") [lo, hi] = [Math.max(lo, v), Math.min(hi, v)];
      else if (c.op === ">=") lo = Math.max(lo, Math.ceil(v));
      else if (c.op === ">") lo = Math.max(lo, Math.floor(v) + 1);
      else if (c.op === "<=") hi = Math.min(hi, Math.floor(v));
      else if (c.op === "<") hi = Math.min(hi, Math.ceil(v) - 1);
    }
    if (lo === 0 || lo > hi) return [];
    let best: number[] | undefined;
    for (const c of conditions) {
      if (c.op !== "=" || !this.#indexedKeys.has(c.key)) continue;
      const list = this.#inverted.get(`${c.key}=${String(c.value)}`) ?? [];
      if (!best || list.length < best.length) best = list;
    }
    if (best) return best.filter((h) => h >= lo && h <= hi);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }

  #indexedPairs(tx: IndexedTx): Set<string> {
    const out = new Set<string>();
    for (const e of tx.result.events) {
      for (const a of e.attributes) {
        const key = `${e.type}.${a.key}`;
        if (this.#indexedKeys.has(key)) out.add(`${key}=${a.value}`);
      }
    }
    return out;
  }

  #prune(height: number): void {
    const block = this.#blocks.get(height);
    if (!block) return;
    this.#blocks.delete(height);
    for (const tx of block.txs) {
      this.#byHash.delete(tx.hash);
      for (const kv of this.#indexedPairs(tx)) {
        const heights = this.#inverted.get(kv);
        if (!heights) continue;
        if (heights[0] === height) heights.shift();
        if (heights.length === 0) this.#inverted.delete(kv);
      }
    }
  }
}

/** The indexed events of a tx: `tx.hash`, `tx.height` and every `type.key` of its result. */
export function txEventMap(tx: IndexedTx): EventMap {
  const map: EventMap = new Map([
    ["tx.hash", [tx.hash]],
    ["tx.height", [String(tx.height)]],
  ]);
  return addEvents(map, tx.result.events);
}
