import type { Journal } from "./journal.js";

/**
 * An ordered key-value store holding one contract's state exactly as a CosmWasm node does: raw
 * byte keys (here latin1 strings, one char per byte) sorted bytewise, and raw byte values (JSON
 * text for Mars contracts). Writes go through the journal so a failed transaction leaves no trace.
 * Ordered iteration uses a {@link SortedKeys} index (sorted chunks of keys, so a new key costs a
 * binary search and a splice within one chunk, not a move of every later key: at a million Red
 * Bank debtors, 3.5 million keys, a single-array splice took ~6 ms per new key and dominated
 * DeliverTx); `bulkSet` appends and sorts once (for scenario set-up at scale).
 *
 * Memory: a new key is stored as a flat copy ({@link flatKey}). Keys are built by concatenation
 * (`mapKey`), which V8 keeps as a tree of cons strings and their pieces even after hashing and
 * comparing them: about 300 bytes per Red Bank key instead of 144 flat, 0.5 GB of the heap at a
 * million debtors (bench/README.md).
 */
export class KvStore {
  readonly #map = new Map<string, string>();
  readonly #keys = new SortedKeys();
  readonly #journal: Journal;

  constructor(journal: Journal) {
    this.#journal = journal;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): string | undefined {
    const value = this.#map.get(key);
    this.#journal.meter?.read(key.length, value?.length ?? 0);
    return value;
  }

  has(key: string): boolean {
    this.#journal.meter?.read(key.length, 0);
    return this.#map.has(key);
  }

  set(key: string, value: string): void {
    this.#journal.meter?.write(key.length, value.length);
    const prev = this.#map.get(key);
    if (prev === undefined) {
      key = flatKey(key);
      this.#keys.insert(key);
    }
    this.#map.set(key, value);
    this.#journal.record(() => (prev === undefined ? this.#remove(key) : this.#map.set(key, prev)));
  }

  delete(key: string): void {
    this.#journal.meter?.remove(key.length);
    const prev = this.#map.get(key);
    if (prev === undefined) return;
    this.#remove(key);
    this.#journal.record(() => {
      this.#keys.insert(key);
      this.#map.set(key, prev);
    });
  }

  /** Writes many new entries without journaling (scenario set-up before the first block). */
  bulkSet(entries: Iterable<[string, string]>): void {
    for (const [k, v] of entries) {
      const key = flatKey(k);
      if (!this.#map.has(key)) this.#keys.append(key);
      this.#map.set(key, v);
    }
  }

  /**
   * Entries with `start <= key < end` in byte order (`end` undefined: to the last key), at most
   * `limit` (undefined: all). Keys compare as latin1 strings, which is bytewise order.
   */
  range(start: string, end: string | undefined, limit?: number): [string, string][] {
    const keys = this.#keys;
    const lo = keys.lowerBound(start);
    const hi = end === undefined ? keys.size : Math.max(lo, keys.lowerBound(end));
    const out = this.#entries(keys.slice(lo, limit === undefined ? hi : Math.min(hi, lo + limit)));
    this.#meterScan(out);
    return out;
  }

  /**
   * One page of the entries with `start <= key < end` (`end` undefined: to the last key), as
   * cosmos-sdk paginates a store: skip `offset` entries, return at most `limit`, walking down from
   * the top of the range when `reverse`. `next` is the key that would come next (undefined at the
   * end of the range); `total` is the number of entries in the range. O(log n + offset-free page).
   */
  page(start: string, end: string | undefined, options: { offset?: number; limit: number; reverse?: boolean }): { entries: [string, string][]; next: string | undefined; total: number } {
    const keys = this.#keys;
    const lo = keys.lowerBound(start);
    const hi = end === undefined ? keys.size : Math.max(lo, keys.lowerBound(end));
    const offset = options.offset ?? 0;
    const limit = Math.max(0, options.limit);
    let entries: [string, string][];
    let next: string | undefined;
    if (options.reverse) {
      // Walking down from index hi - 1 - offset: indexes top, top - 1, ... down to `from`.
      const top = hi - 1 - offset;
      const from = Math.max(lo, top - limit + 1);
      entries = this.#entries(keys.slice(from, Math.max(from, top + 1)).reverse());
      next = from - 1 >= lo && from - 1 <= top ? keys.keyAt(from - 1) : undefined;
    } else {
      const from = lo + offset;
      const to = Math.max(from, Math.min(hi, from + limit));
      entries = this.#entries(keys.slice(from, to));
      next = to < hi ? keys.keyAt(to) : undefined;
    }
    this.#meterScan(entries);
    return { entries, next, total: hi - lo };
  }

  #entries(keys: string[]): [string, string][] {
    return keys.map((k) => [k, this.#map.get(k)!]);
  }

  #meterScan(entries: [string, string][]): void {
    const meter = this.#journal.meter;
    if (!meter) return;
    let bytes = 0;
    for (const [k, v] of entries) bytes += k.length + v.length;
    meter.iterate(entries.length, bytes);
  }

  /** Every entry whose key starts with `prefix`, in order. */
  prefix(prefix: string, limit?: number): [string, string][] {
    return this.range(prefix, prefixEnd(prefix), limit);
  }

  #remove(key: string): void {
    this.#map.delete(key);
    this.#keys.remove(key);
  }
}


/**
 * The sorted key index of a {@link KvStore}: distinct keys in bytewise (latin1) order, held as
 * sorted chunks (every key of a chunk is below every key of the next) with the index of each
 * chunk's first key. Insert and remove are a binary search, a splice within one chunk and an
 * O(chunks) update of the first indexes; `slice` and `keyAt` address keys by their index in the
 * whole order. `append` adds keys unsorted (bulk set-up); the next other call sorts them in.
 */
export class SortedKeys {
  /** Keys per chunk when the index is (re)built; a chunk is split in two when it reaches twice this. */
  readonly chunkSize: number;
  #chunks: string[][] = [];
  /** `#starts[c]`: index (in the whole order) of the first key of chunk c. */
  #starts: number[] = [];
  #pending: string[] = [];
  #size = 0;

  constructor(chunkSize = 1024) {
    if (!(chunkSize >= 1)) throw new Error(`chunkSize must be at least 1, got ${chunkSize}`);
    this.chunkSize = chunkSize;
  }

  get size(): number {
    return this.#size;
  }

  /** Adds a key that is not in the index yet. */
  insert(key: string): void {
    if (this.#pending.length) return this.append(key);
    const chunks = this.#chunks;
    if (chunks.length === 0) {
      this.#rebuild([key]);
      return;
    }
    const c = Math.min(this.#chunkFor(key), chunks.length - 1);
    const chunk = chunks[c]!;
    chunk.splice(lowerBound(chunk, key), 0, key);
    this.#size++;
    if (chunk.length >= 2 * this.chunkSize) {
      chunks.splice(c, 1, chunk.slice(0, this.chunkSize), chunk.slice(this.chunkSize));
      this.#starts.splice(c + 1, 0, 0);
      this.#restart(c);
    } else {
      for (let j = c + 1; j < this.#starts.length; j++) this.#starts[j]!++;
    }
  }

  /** Adds a key that is not in the index yet, without sorting it in until the next read. */
  append(key: string): void {
    this.#pending.push(key);
    this.#size++;
  }

  /** Removes `key` if present. */
  remove(key: string): void {
    this.#settle();
    const c = this.#chunkFor(key);
    const chunk = this.#chunks[c];
    if (!chunk) return;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    chunk.splice(i, 1);
    this.#size--;
    if (chunk.length === 0) {
      this.#chunks.splice(c, 1);
      this.#starts.splice(c, 1);
      this.#restart(c);
    } else {
      for (let j = c + 1; j < this.#starts.length; j++) this.#starts[j]!--;
    }
  }

  /** Index of the first key >= `key` (size if none). */
  lowerBound(key: string): number {
    this.#settle();
    const c = this.#chunkFor(key);
    const chunk = this.#chunks[c];
    return chunk ? this.#starts[c]! + lowerBound(chunk, key) : this.#size;
  }

  /** The key at `index` of the whole order. */
  keyAt(index: number): string | undefined {
    this.#settle();
    if (index < 0 || index >= this.#size) return undefined;
    const c = this.#chunkAt(index);
    return this.#chunks[c]![index - this.#starts[c]!];
  }

  /** Keys at indexes `from` to `to - 1`, in order. */
  slice(from: number, to: number): string[] {
    this.#settle();
    from = Math.max(0, from);
    to = Math.min(this.#size, to);
    const out: string[] = [];
    if (from >= to) return out;
    let c = this.#chunkAt(from);
    let i = from - this.#starts[c]!;
    while (out.length < to - from) {
      const chunk = this.#chunks[c]!;
      const take = Math.min(chunk.length - i, to - from - out.length);
      for (let j = 0; j < take; j++) out.push(chunk[i + j]!);
      c++;
      i = 0;
    }
    return out;
  }

  /** The chunk that holds `key` or would: the first whose last key is >= key (chunks.length if none). */
  #chunkFor(key: string): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (chunk[chunk.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The chunk holding index `index` (0 <= index < size): the last whose first index is <= index. */
  #chunkAt(index: number): number {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Recomputes the first indexes of chunks `from` onwards. */
  #restart(from: number): void {
    const starts = this.#starts;
    starts.length = this.#chunks.length;
    let n = from === 0 ? 0 : starts[from - 1]! + this.#chunks[from - 1]!.length;
    for (let c = from; c < this.#chunks.length; c++) {
      starts[c] = n;
      n += this.#chunks[c]!.length;
    }
  }

  /** Sorts appended keys in (one sort of everything, as a bulk set-up wants). */
  #settle(): void {
    if (this.#pending.length === 0) return;
    const all = this.#chunks.length ? this.#chunks.flat().concat(this.#pending) : this.#pending;
    this.#pending = [];
    this.#rebuild(all.sort());
  }

  /** Replaces the index by `sorted` (distinct keys in order), cut into chunks. */
  #rebuild(sorted: string[]): void {
    this.#chunks = [];
    for (let i = 0; i < sorted.length; i += this.chunkSize) this.#chunks.push(sorted.slice(i, i + this.chunkSize));
    this.#starts = [];
    this.#size = sorted.length;
    this.#restart(0);
  }
}

/**
 * `key` as a flat (sequential) string: a latin1 round trip, which V8 always returns flat. A cons
 * string (the result of `a + b`) stays a tree of its pieces for as long as it lives, even as a Map
 * key. Keys are latin1 (one char per byte); a key with a char above 0xff is kept as it is.
 */
export function flatKey(key: string): string {
  return NOT_LATIN1.test(key) ? key : Buffer.from(key, "latin1").toString("latin1");
}

const NOT_LATIN1 = /[^\u0000-\u00ff]/;

/** First index whose key is >= `key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest key greater than every key starting with `prefix` (undefined if none exists). */
export function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}
