/**
 * The position cache in Redis: one hash per shard (`account → <height>|<payload>`), a change stream
 * naming the accounts each write changed, and a dead-letter list for entries nobody can decode.
 * The collector writes; health checkers rebuild a shard from its hash and then follow the stream.
 */
import type { RedisClient } from "../redis/connection.js";
import type { PipelineKeys } from "../redis/keys.js";
import { loadScript, runScript } from "../redis/lua-script.js";

const writeScript = loadScript("writePositions-2.lua");
const deadLetterScript = loadScript("deadLetterPosition-2.lua");

/** How a write relates to what the cache holds (see `writePositions-2.lua`). */
export type CacheWriteMode = "block" | "discover" | "scan";

/** What one `write` did. */
export interface CacheWriteResult {
  changed: number;
  /** Accounts a rescan found different from the cache: changes the per-block refresh missed. */
  drift: number;
  /** Accounts skipped because the cache held state read at a later height. */
  stale: number;
}

/** One entry of the change stream. */
export interface PositionChange {
  id: string;
  shard: number;
  height: number;
  accounts: string[];
}

/** Options of `PositionCache`. */
export interface PositionCacheOptions {
  redis: RedisClient;
  keys: PipelineKeys;
  /** Shards of the pipeline; recorded in the cache's meta hash, and every service must agree. */
  shards: number;
  /** Approximate length the change stream is trimmed to. Default 100,000 entries. */
  streamMaxLen?: number;
  /** Accounts per write script call. Default 500. */
  batchSize?: number;
}

export class PositionCache {
  readonly shards: number;
  readonly #redis: RedisClient;
  readonly #keys: PipelineKeys;
  readonly #maxLen: number;
  readonly #batch: number;

  constructor(opts: PositionCacheOptions) {
    this.#redis = opts.redis;
    this.#keys = opts.keys;
    this.shards = opts.shards;
    this.#maxLen = opts.streamMaxLen ?? 100_000;
    this.#batch = opts.batchSize ?? 500;
  }

  /**
   * Records the shard count on first use and refuses a different one: a collector and a health
   * checker cutting the account space differently would each see only part of it.
   */
  async checkShape(): Promise<void> {
    await this.#redis.hsetnx(this.#keys.positionsMeta, "shards", String(this.shards));
    const stored = Number(await this.#redis.hget(this.#keys.positionsMeta, "shards"));
    if (stored !== this.shards) {
      throw new Error(`the position cache at ${this.#keys.positionsMeta} has ${stored} shards but this service is configured with ${this.shards}; set POSITION_SHARDS=${stored} or clear the cache`);
    }
  }

  /** Writes `entries` (payload null deletes) read at `height` into `shard`, in batches. */
  async write(shard: number, height: number, mode: CacheWriteMode, entries: readonly (readonly [string, string | null])[]): Promise<CacheWriteResult> {
    const total: CacheWriteResult = { changed: 0, drift: 0, stale: 0 };
    const keys = [this.#keys.positions(shard), this.#keys.positionChanges];
    for (let i = 0; i < entries.length; i += this.#batch) {
      const args: (string | number)[] = [height, mode, this.#maxLen, shard];
      for (const [account, payload] of entries.slice(i, i + this.#batch)) args.push(account, payload ?? "");
      const [changed, drift, stale] = (await runScript(this.#redis, writeScript, keys, args)) as [number, number, number];
      total.changed += changed;
      total.drift += drift;
      total.stale += stale;
    }
    return total;
  }

  /** Every entry of `shard`, in pages of about `count` (HSCAN; the hash may change meanwhile, the stream covers that). */
  async *readShard(shard: number, count = 5_000): AsyncGenerator<[account: string, value: string][]> {
    let cursor = "0";
    do {
      const [next, flat] = await this.#redis.hscan(this.#keys.positions(shard), cursor, "COUNT", count);
      cursor = next;
      const page: [string, string][] = [];
      for (let i = 0; i < flat.length; i += 2) page.push([flat[i]!, flat[i + 1]!]);
      if (page.length > 0) yield page;
    } while (cursor !== "0");
  }

  /** The accounts cached in `shard`. */
  accounts(shard: number): Promise<string[]> {
    return this.#redis.hkeys(this.#keys.positions(shard));
  }

  /** Current values of `accounts` in `shard` (null when deleted). */
  get(shard: number, accounts: readonly string[]): Promise<(string | null)[]> {
    return accounts.length === 0 ? Promise.resolve([]) : this.#redis.hmget(this.#keys.positions(shard), ...accounts);
  }

  /** How many accounts `shard` holds. */
  size(shard: number): Promise<number> {
    return this.#redis.hlen(this.#keys.positions(shard));
  }

  /**
   * Where the change stream stands: `head`, the id of the newest entry ever added (a reader that has
   * just rebuilt from the hashes starts there), and `trimmedUpTo`, the newest id trimming removed (a
   * reader whose last id is older lost changes). Both "0-0" when the stream does not exist;
   * `trimmedUpTo` is "0-0" until trimming removed something.
   *
   * MAXLEN trimming does not move XINFO's `max-deleted-entry-id` (only XDEL does; `streamTrim` in
   * Redis' t_stream.c updates the first id only), so `trimmedUpTo` is derived from what is left: the
   * id just below the first entry kept. That is at or above the newest removed id, so a reader is
   * never told it is current when it lost changes; at worst a reader that read exactly the last
   * removed entry, and so is a full MAXLEN behind, rebuilds once more than needed.
   */
  async streamInfo(): Promise<{ head: string; trimmedUpTo: string }> {
    let info: unknown[];
    try {
      info = (await this.#redis.xinfo("STREAM", this.#keys.positionChanges)) as unknown[];
    } catch (err) {
      if (err instanceof Error && err.message.includes("no such key")) return { head: "0-0", trimmedUpTo: "0-0" };
      throw err;
    }
    const field = (name: string) => {
      const at = info.indexOf(name);
      return at >= 0 ? String(info[at + 1]) : "0-0";
    };
    const head = field("last-generated-id");
    const length = Number(field("length"));
    // Nothing XDELs this stream, so entries added but no longer there were trimmed.
    if (!(Number(field("entries-added")) > length)) return { head, trimmedUpTo: "0-0" };
    return { head, trimmedUpTo: length === 0 ? head : previousStreamId(field("recorded-first-entry-id")) };
  }

  /** Change entries after `afterId`, waiting up to `blockMs` for one (use a dedicated connection when blocking). */
  async changes(afterId: string, count: number, blockMs: number | null, redis: RedisClient = this.#redis): Promise<PositionChange[]> {
    const reply = (blockMs === null
      ? await redis.xread("COUNT", count, "STREAMS", this.#keys.positionChanges, afterId)
      : await redis.xread("COUNT", count, "BLOCK", blockMs, "STREAMS", this.#keys.positionChanges, afterId)) as [string, [string, string[]][]][] | null;
    const entries = reply?.[0]?.[1] ?? [];
    return entries.map(([id, fields]) => {
      const f = new Map<string, string>();
      for (let i = 0; i < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      return { id, shard: Number(f.get("s")), height: Number(f.get("h")), accounts: (f.get("a") ?? "").split(",").filter((a) => a !== "") };
    });
  }

  /** Moves a cache entry nobody can decode out of the shard into the dead-letter list, with its reason; false when it was rewritten meanwhile. */
  async deadLetter(shard: number, account: string, value: string, reason: string): Promise<boolean> {
    const record = JSON.stringify({ shard, account, value, reason, at: Date.now() });
    return (await runScript(this.#redis, deadLetterScript, [this.#keys.positions(shard), this.#keys.positionsDead], [account, value, record])) === 1;
  }

  /** The dead-letter records, oldest first. */
  async deadLetters(): Promise<{ shard: number; account: string; value: string; reason: string; at: number }[]> {
    return (await this.#redis.lrange(this.#keys.positionsDead, 0, -1)).map((r) => JSON.parse(r) as { shard: number; account: string; value: string; reason: string; at: number });
  }

  /** Whether `shard` was ever fully scanned (a first scan discovers; later ones reconcile and count drift). */
  async scannedHeight(shard: number): Promise<number | null> {
    const v = await this.#redis.hget(this.#keys.positionsMeta, `scanned:${shard}`);
    return v === null ? null : Number(v);
  }

  /** Records that `shard` was fully scanned at `height`. */
  async markScanned(shard: number, height: number): Promise<void> {
    await this.#redis.hset(this.#keys.positionsMeta, `scanned:${shard}`, String(height));
  }
}

/** The greatest stream id below `id` (`ms-seq`, both u64). */
function previousStreamId(id: string): string {
  const [ms, seq] = id.split("-").map(BigInt) as [bigint, bigint];
  return seq > 0n ? `${ms}-${seq - 1n}` : `${ms - 1n}-18446744073709551615`;
}
