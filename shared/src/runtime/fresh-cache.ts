/** Options of {@link FreshCache}. */
export interface FreshCacheOptions<K, V> {
  read: (key: K) => Promise<V>;
  /** A value read less than this long ago (ms, from the start of its read) is served without a new read. */
  freshMs: number;
  /** An older value is still served, while a new read runs, up to this age; past it callers wait for the read. */
  maxStaleMs: number;
  /** `refresh` keeps a key fresh while it was asked for within this long (default `maxStaleMs`), then forgets it. */
  keepMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

interface Entry<V> {
  /** The last successful read, and when it started. */
  value?: Promise<V>;
  at: number;
  /** A read under way. */
  reading?: Promise<V>;
  usedAt: number;
}

/**
 * Values read from the chain, by key, re-read at most once per `freshMs` and served while the next
 * read runs (stale-while-revalidate) up to `maxStaleMs`: concurrent callers share one read, and a
 * burst never waits behind its own chain traffic for a figure a second old serves as well.
 * `refresh` (from a timer) keeps the keys in use fresh ahead of the callers. A failed read leaves
 * the last value in place; with no value young enough, the caller gets the read's error.
 */
export class FreshCache<K, V> {
  readonly #o: FreshCacheOptions<K, V>;
  readonly #now: () => number;
  readonly #entries = new Map<K, Entry<V>>();

  constructor(options: FreshCacheOptions<K, V>) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  get(key: K): Promise<V> {
    const now = this.#now();
    let e = this.#entries.get(key);
    if (e === undefined) this.#entries.set(key, (e = { at: 0, usedAt: now }));
    e.usedAt = now;
    if (e.value !== undefined && now - e.at < this.#o.freshMs) return e.value;
    const reading = this.#start(key, e, now);
    return e.value !== undefined && now - e.at < this.#o.maxStaleMs ? e.value : reading;
  }

  /** Re-reads every key asked for within `keepMs` whose value is no longer fresh; forgets the others. */
  refresh(): void {
    const now = this.#now();
    for (const [key, e] of this.#entries) {
      if (now - e.usedAt > (this.#o.keepMs ?? this.#o.maxStaleMs)) this.#entries.delete(key);
      else if (e.value === undefined || now - e.at >= this.#o.freshMs) this.#start(key, e, now).catch(() => undefined);
    }
  }

  #start(key: K, e: Entry<V>, now: number): Promise<V> {
    if (e.reading !== undefined) return e.reading;
    const reading = this.#o.read(key);
    e.reading = reading;
    reading.then(
      () => Object.assign(e, { value: reading, at: now, reading: undefined }),
      () => (e.reading = undefined),
    );
    return reading;
  }
}
