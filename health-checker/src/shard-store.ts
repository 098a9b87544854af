/**
 * The positions of the shards this instance owns, in memory, kept current from the position cache's
 * change stream (DESIGN.md: at a million positions they cannot be re-read from Redis every block).
 * A shard is rebuilt from its cache hash when taken; changes that arrive while it loads win over the
 * snapshot pages. A reader that fell behind the stream's trimming rebuilds every shard it holds.
 */
import type { Logger } from "pino";
import { MalformedPositionError, type PositionCache, type PositionChange, type Product, type RedisClient } from "@mlb/shared";
import { decodePosition, type Shard } from "./positions.js";

export interface ShardStoreOptions {
  cache: PositionCache;
  product: Product;
  /** Connection for the blocking stream reads (not shared with other commands). */
  streamRedis: RedisClient;
  logger: Logger;
  /** Called for each cache entry moved to the dead-letter list. */
  onMalformed?: () => void;
}

export class ShardStore {
  readonly shards = new Map<number, Shard>();
  readonly #o: ShardStoreOptions;
  /** Accounts the stream updated while their shard was loading: the load must not overwrite them. */
  readonly #loading = new Map<number, Set<string>>();
  #lastId = "0-0";
  #stopped = false;
  #follow: Promise<void> | undefined;

  constructor(options: ShardStoreOptions) {
    this.#o = options;
  }

  /** Positions held, over every shard. */
  get size(): number {
    let n = 0;
    for (const s of this.shards.values()) n += s.size;
    return n;
  }

  /** Starts following the change stream from its current head. */
  async start(): Promise<void> {
    this.#lastId = (await this.#o.cache.streamInfo()).head;
    this.#follow = this.#followLoop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#o.streamRedis.disconnect();
    await this.#follow;
  }

  /** Rebuilds `shard` from the cache and holds it. */
  async load(shard: number): Promise<number> {
    const started = performance.now();
    const map: Shard = new Map();
    const touched = new Set<string>();
    this.#loading.set(shard, touched);
    this.shards.set(shard, map);
    try {
      for await (const page of this.#o.cache.readShard(shard)) {
        for (const [account, value] of page) if (!touched.has(account)) await this.#put(map, shard, account, value);
      }
    } finally {
      this.#loading.delete(shard);
    }
    this.#o.logger.info({ shard, positions: map.size, ms: Math.round(performance.now() - started) }, "shard loaded");
    return map.size;
  }

  drop(shard: number): void {
    this.shards.delete(shard);
  }

  /** Applies one stream entry: re-reads the named accounts of a held shard from the cache. */
  async apply(change: PositionChange): Promise<void> {
    const map = this.shards.get(change.shard);
    if (map === undefined) return;
    const values = await this.#o.cache.get(change.shard, change.accounts);
    const touched = this.#loading.get(change.shard);
    for (let i = 0; i < change.accounts.length; i++) {
      const account = change.accounts[i]!;
      touched?.add(account);
      const value = values[i];
      if (value === null || value === undefined) map.delete(account);
      else await this.#put(map, change.shard, account, value);
    }
  }

  async #put(map: Shard, shard: number, account: string, value: string): Promise<void> {
    try {
      map.set(account, decodePosition(this.#o.product, account, value));
    } catch (err) {
      if (!(err instanceof MalformedPositionError)) throw err;
      map.delete(account);
      await this.#o.cache.deadLetter(shard, account, value, err.message);
      this.#o.onMalformed?.();
      this.#o.logger.warn({ shard, account, reason: err.message }, "malformed cache entry moved to the dead-letter list");
    }
  }

  async #followLoop(): Promise<void> {
    const { cache, streamRedis, logger } = this.#o;
    while (!this.#stopped) {
      try {
        const { head, trimmedUpTo } = await cache.streamInfo();
        if (compareIds(trimmedUpTo, this.#lastId) > 0) {
          logger.warn({ lastId: this.#lastId, trimmedUpTo }, "fell behind the change stream's trimming; rebuilding held shards");
          this.#lastId = head;
          for (const shard of [...this.shards.keys()]) await this.load(shard);
          continue;
        }
        const changes = await cache.changes(this.#lastId, 500, 1_000, streamRedis);
        for (const c of changes) {
          await this.apply(c);
          this.#lastId = c.id;
        }
      } catch (err) {
        if (this.#stopped) return;
        logger.warn({ err }, "reading the change stream failed; retrying");
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}

/** Orders stream ids `ms-seq`. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split("-").map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as < bs ? -1 : as > bs ? 1 : 0;
}
