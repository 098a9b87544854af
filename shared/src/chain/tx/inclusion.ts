/**
 * Waits for many transactions at once by following blocks: one `block` and one `block_results` per
 * new block resolve every waiter of that block, instead of every waiter asking the node for its
 * hash ten times a second (at a hundred transactions in flight, that alone would swamp a node).
 */
import type { Logger } from "pino";
import type { ChainClient, IncludedTx } from "../rpc-client.js";
import { TxTimeoutError } from "./errors.js";

interface Waiter {
  resolve(tx: IncludedTx): void;
  reject(err: Error): void;
  deadline: number;
}

export class InclusionWatcher {
  readonly #client: ChainClient;
  readonly #pollMs: number;
  readonly #logger: Logger | undefined;
  readonly #waiters = new Map<string, Waiter>();
  /** The last height whose transactions were looked at. */
  #scanned: number | null = null;
  #running = false;

  constructor(client: ChainClient, opts: { pollMs?: number; logger?: Logger } = {}) {
    this.#client = client;
    this.#pollMs = opts.pollMs ?? 50;
    this.#logger = opts.logger;
  }

  /**
   * Resolves with the transaction once a block includes it; `sinceHeight` is a height known to be
   * below its block (the chain's height before it was broadcast). Throws `TxTimeoutError` after
   * `timeoutMs` unless a last direct lookup finds it.
   */
  wait(hash: string, sinceHeight: number, timeoutMs = 30_000): Promise<IncludedTx> {
    const key = hash.toUpperCase();
    if (this.#scanned === null || sinceHeight < this.#scanned) this.#scanned = sinceHeight;
    const done = new Promise<IncludedTx>((resolve, reject) => this.#waiters.set(key, { resolve, reject, deadline: Date.now() + timeoutMs }));
    if (!this.#running) void this.#loop();
    return done;
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiters.size > 0) {
        try {
          const { height } = await this.#client.status();
          while (this.#scanned !== null && this.#scanned < height && this.#waiters.size > 0) {
            const next = this.#scanned + 1;
            for (const tx of await this.#client.blockTxResults(next)) {
              const w = this.#waiters.get(tx.hash);
              if (w === undefined) continue;
              this.#waiters.delete(tx.hash);
              w.resolve(tx);
            }
            this.#scanned = next;
          }
        } catch (err) {
          this.#logger?.warn({ err }, "following blocks for inclusions failed; retrying");
        }
        await this.#expire();
        if (this.#waiters.size > 0) await new Promise((r) => setTimeout(r, this.#pollMs));
      }
    } finally {
      this.#running = false;
    }
  }

  /** Times out waiters past their deadline, after one direct lookup each. */
  async #expire(): Promise<void> {
    const now = Date.now();
    for (const [hash, w] of this.#waiters) {
      if (w.deadline > now) continue;
      this.#waiters.delete(hash);
      const found = await this.#client.tx(hash).catch(() => null);
      if (found !== null) w.resolve(found);
      else w.reject(new TxTimeoutError(hash, 0));
    }
  }
}
