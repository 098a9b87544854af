import type { PendingView } from "./context.js";
import type { DecodedTx } from "./tx-decode.js";

/** A transaction waiting for a block; its signature was verified when it passed CheckTx. */
export interface MempoolEntry {
  tx: DecodedTx;
}

/**
 * Transactions that passed CheckTx, in arrival order (FIFO, no reordering by fee or sender), and
 * the pending state CheckTx needs so a signer can have several txs in flight in one block: the
 * next sequence and the fees already promised per signer.
 */
export class Mempool implements PendingView {
  #queue: MempoolEntry[] = [];
  #head = 0;
  readonly #hashes = new Set<string>();
  readonly #sequences = new Map<string, number>();
  readonly #fees = new Map<string, Map<string, bigint>>();

  constructor(readonly maxTxs: number) {}

  /** Number of waiting transactions. */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /** Total bytes of the waiting transactions. */
  get bytes(): number {
    let n = 0;
    for (let i = this.#head; i < this.#queue.length; i++) n += this.#queue[i]!.tx.bytes.length;
    return n;
  }

  has(hash: string): boolean {
    return this.#hashes.has(hash);
  }

  sequence(address: string): number | undefined {
    return this.#sequences.get(address);
  }

  fee(address: string, denom: string): bigint {
    return this.#fees.get(address)?.get(denom) ?? 0n;
  }

  /** Appends a transaction that passed CheckTx and records its pending sequence and fee. */
  add(entry: MempoolEntry): void {
    this.#queue.push(entry);
    this.#hashes.add(entry.tx.hash);
    this.#track(entry.tx);
  }

  /**
   * Removes and returns up to `max` transactions in arrival order. The pending state is cleared:
   * the caller re-adds (rechecks) what is left once the block is committed, via {@link drain}.
   */
  take(max: number): MempoolEntry[] {
    const end = Math.min(this.#queue.length, this.#head + max);
    const taken = this.#queue.slice(this.#head, end);
    this.#head = end;
    for (const e of taken) this.#hashes.delete(e.tx.hash);
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return taken;
  }

  /** Empties the pool, returning what was left in order (for a recheck after a block). */
  drain(): MempoolEntry[] {
    const rest = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#hashes.clear();
    this.#sequences.clear();
    this.#fees.clear();
    return rest;
  }

  /** Forgets the pending state of signers whose txs were taken (no tx of theirs left). */
  resetPending(): void {
    this.#sequences.clear();
    this.#fees.clear();
    for (let i = this.#head; i < this.#queue.length; i++) this.#track(this.#queue[i]!.tx);
  }

  #track(tx: DecodedTx): void {
    this.#sequences.set(tx.signer, tx.sequence + 1);
    if (tx.fee.length === 0) return;
    let fees = this.#fees.get(tx.signer);
    if (!fees) this.#fees.set(tx.signer, (fees = new Map()));
    for (const c of tx.fee) fees.set(c.denom, (fees.get(c.denom) ?? 0n) + BigInt(c.amount));
  }
}
