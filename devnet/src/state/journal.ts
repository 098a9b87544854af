/** Receives the cost of state access (see {@link Journal.meter}); sizes are in bytes. */
export interface AccessMeter {
  /** A point read (get/has) of a key and the value found (0 bytes if none). */
  read(keyBytes: number, valueBytes: number): void;
  /** A write of a key and its new value. */
  write(keyBytes: number, valueBytes: number): void;
  /** A deletion of a key. */
  remove(keyBytes: number): void;
  /** An ordered scan that yielded `entries` entries of `bytes` bytes in all (keys and values). */
  iterate(entries: number, bytes: number): void;
}

/**
 * Undo log for all-or-nothing execution: while a transaction is open, every write to chain state
 * (bank, contract stores, accounts) records how to undo itself. `begin()` opens a (possibly
 * nested) transaction and returns its mark; `rollback(mark)` undoes every write since and closes
 * it; `commit(mark)` closes it, keeping the writes (the log is dropped once the outermost one
 * commits). Writes outside any transaction (genesis, scenario set-up) are not recorded.
 */
export class Journal {
  #undo: (() => void)[] = [];
  #depth = 0;

  /**
   * Gas metering of state access: while set (the chain attaches one while a transaction's messages
   * run), the contract stores and the bank report every read, write and iteration to it, and it may
   * throw (out of gas) to abort the call. It lives here because every journaled store holds the
   * journal already. Undefined outside transactions (queries, genesis, scenario set-up).
   */
  meter: AccessMeter | undefined = undefined;

  /** Records the inverse of a write that just happened (ignored outside a transaction). */
  record(undo: () => void): void {
    if (this.#depth > 0) this.#undo.push(undo);
  }

  begin(): number {
    this.#depth++;
    return this.#undo.length;
  }

  rollback(mark: number): void {
    while (this.#undo.length > mark) this.#undo.pop()!();
    this.#close();
  }

  commit(_mark: number): void {
    this.#close();
  }

  #close(): void {
    if (this.#depth === 0) throw new Error("journal: commit or rollback without begin");
    if (--this.#depth === 0) this.#undo.length = 0;
  }
}
