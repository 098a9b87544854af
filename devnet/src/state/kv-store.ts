import type { Journal } from "./journal.js";

/**
 * An ordered key-value store holding one contract's state exactly as a CosmWasm node does: raw
 * byte keys (here latin1 strings, one char per byte) sorted bytewise, and raw byte values (JSON
 * text for Mars contracts). Writes go through the journal so a failed transaction leaves no trace.
 * Ordered iteration uses a sorted key array maintained by binary insertion; `bulkSet` appends and
 * sorts once (for scenario set-up at scale).
 */
export class KvStore {
  readonly #map = new Map<string, string>();
  #sorted: string[] = [];
  #unsorted = false;
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
    if (prev === undefined) this.#insertKey(key);
    this.#map.set(key, value);
    this.#journal.record(() => (prev === undefined ? this.#remove(key) : this.#map.set(key, prev)));
  }

  delete(key: string): void {
    this.#journal.meter?.remove(key.length);
    const prev = this.#map.get(key);
    if (prev === undefined) return;
    this.#remove(key);
    this.#journal.record(() => {
      this.#insertKey(key);
      this.#map.set(key, prev);
    });
  }

  /** Writes many new entries without journaling (scenario set-up before the first block). */
  bulkSet(entries: Iterable<[string, string]>): void {
    for (const [k, v] of entries) {
      if (!this.#map.has(k)) {
        this.#sorted.push(k);
        this.#unsorted = true;
      }
      this.#map.set(k, v);
    }
  }

  /**
   * Entries with `start <= key < end` in byte order (`end` undefined: to the last key), at most
   * `limit` (undefined: all). Keys compare as latin1 strings, which is bytewise order.
   */
  range(start: string, end: string | undefined, limit?: number): [string, string][] {
    const keys = this.#keys();
    const out: [string, string][] = [];
    for (let i = lowerBound(keys, start); i < keys.length; i++) {
      const k = keys[i]!;
      if (end !== undefined && k >= end) break;
      if (limit !== undefined && out.length >= limit) break;
      out.push([k, this.#map.get(k)!]);
    }
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
    const keys = this.#keys();
    const lo = lowerBound(keys, start);
    const hi = end === undefined ? keys.length : Math.max(lo, lowerBound(keys, end));
    const offset = options.offset ?? 0;
    const entries: [string, string][] = [];
    let next: string | undefined;
    if (options.reverse) {
      let i = hi - 1 - offset;
      for (; i >= lo && entries.length < options.limit; i--) entries.push([keys[i]!, this.#map.get(keys[i]!)!]);
      next = i >= lo ? keys[i] : undefined;
    } else {
      let i = lo + offset;
      for (; i < hi && entries.length < options.limit; i++) entries.push([keys[i]!, this.#map.get(keys[i]!)!]);
      next = i < hi ? keys[i] : undefined;
    }
    this.#meterScan(entries);
    return { entries, next, total: hi - lo };
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

  #keys(): string[] {
    if (this.#unsorted) {
      this.#sorted.sort();
      this.#unsorted = false;
    }
    return this.#sorted;
  }

  #insertKey(key: string): void {
    if (this.#unsorted) {
      this.#sorted.push(key);
      return;
    }
    this.#sorted.splice(lowerBound(this.#sorted, key), 0, key);
  }

  #remove(key: string): void {
    this.#map.delete(key);
    const keys = this.#keys();
    const i = lowerBound(keys, key);
    if (keys[i] === key) keys.splice(i, 1);
  }
}

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
