/**
 * The collector's work: follow blocks (refresh exactly the accounts each block's transactions
 * touched) and scan shards from raw state (discover on the first scan, reconcile and count drift on
 * later ones). Writes go to the position cache, which announces them to the health checkers.
 */
import type { Logger } from "pino";
import type { Counter, Histogram } from "prom-client";
import { mapLimit, type BlockCounters, type CacheWriteMode, type ChainClient, type CollectWork, type PositionCache, type QueueItem } from "@mlb/shared";
import type { PositionSource } from "./sources/source.js";

/** What one scan of a shard (or, for credit accounts, of all shards) found and changed. */
export interface ScanSummary {
  shards: number[];
  height: number;
  positions: number;
  changed: number;
  drift: number;
  durationMs: number;
}

export interface CollectorMetrics {
  refreshed: Counter<"reason">;
  drift: Counter;
  scanSeconds: Histogram;
}

export interface CollectorOptions {
  client: ChainClient;
  source: PositionSource;
  cache: PositionCache;
  counters: BlockCounters;
  logger: Logger;
  metrics: CollectorMetrics;
  /** Accounts read at the same time when following a block. */
  concurrency: number;
}

export class Collector {
  readonly #o: CollectorOptions;

  constructor(options: CollectorOptions) {
    this.#o = options;
  }

  /** Handles one queue item. */
  async handle(item: QueueItem<CollectWork>): Promise<void> {
    if (item.data.kind === "block") await this.followBlock(item.height);
    else await this.scan(item.data.shard);
  }

  /** Refreshes the accounts the transactions of block `height` touched; returns how many changed in the cache. */
  async followBlock(height: number): Promise<{ touched: number; changed: number }> {
    const { client, source, cache, counters, logger, metrics } = this.#o;
    const touched = [...source.touched(await client.blockTxEvents(height))];
    if (touched.length === 0) return { touched: 0, changed: 0 };
    const reads = await mapLimit(touched, this.#o.concurrency, async (account) => ({ account, ...(await source.read(account)) }));
    // One write per (shard, height): a read never overwrites a position read at a later height.
    const groups = new Map<string, { shard: number; height: number; entries: [string, string | null][] }>();
    for (const r of reads) {
      const shard = source.shardOf(r.account);
      const key = `${shard}:${r.height}`;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { shard, height: r.height, entries: [] }));
      g.entries.push([r.account, r.payload]);
    }
    let changed = 0;
    for (const g of groups.values()) changed += (await cache.write(g.shard, g.height, "block", g.entries)).changed;
    metrics.refreshed.inc({ reason: "block" }, touched.length);
    await counters.incr(height, "discovered", changed);
    logger.debug({ height, touched: touched.length, changed }, "block followed");
    return { touched: touched.length, changed };
  }

  /**
   * Scans `shard` from raw state and reconciles the cache with it: new debtors are added, vanished
   * ones deleted, different ones rewritten. On a shard scanned before, every change is drift (the
   * block follower missed it) and is counted and logged.
   */
  async scan(shard: number): Promise<ScanSummary> {
    const { source, cache, logger, metrics } = this.#o;
    const started = performance.now();
    const result = await source.scan(shard);
    let positions = 0;
    let changed = 0;
    let drift = 0;
    for (const [s, found] of result.shards) {
      const mode: CacheWriteMode = (await cache.scannedHeight(s)) === null ? "discover" : "scan";
      const entries: [string, string | null][] = [...found];
      for (const account of await cache.accounts(s)) if (!found.has(account)) entries.push([account, null]);
      const written = await cache.write(s, result.height, mode, entries);
      await cache.markScanned(s, result.height);
      positions += found.size;
      changed += written.changed;
      drift += written.drift;
    }
    const durationMs = Math.round(performance.now() - started);
    metrics.scanSeconds.observe(durationMs / 1000);
    metrics.refreshed.inc({ reason: "scan" }, positions);
    metrics.drift.inc(drift);
    const summary = { shards: [...result.shards.keys()], height: result.height, positions, changed, drift, durationMs };
    if (drift > 0) logger.warn(summary, "rescan found positions the block follower had missed");
    else logger.info(summary, "shard scanned");
    return summary;
  }
}
