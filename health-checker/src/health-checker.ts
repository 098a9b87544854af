/**
 * The health checker: holds the positions of the shards it owns (membership), follows the cache's
 * change stream, and for each "evaluate shard k at height h" item reads the block's market state
 * once, evaluates the shard (local math or contract queries), and queues the liquidatable positions
 * for the liquidator, best expected profit first.
 */
import type { Logger } from "pino";
import type { Counter, Gauge, Histogram } from "prom-client";
import {
  QUEUES,
  ReliableQueue,
  healthWorkSchema,
  pushCandidates,
  readMarketState,
  type BlockCounters,
  type ChainClient,
  type Component,
  type HealthWork,
  type MarketState,
  type MarsAddresses,
  type PipelineKeys,
  type Product,
  type QueueConsumer,
  type QueueItem,
  type RedisClient,
} from "@mlb/shared";
import { evaluateShard, type EvaluateOptions, type ShardVerdict } from "./evaluate.js";
import { Membership } from "./membership.js";
import { queryShard, type QueryModeOptions } from "./query-mode.js";
import type { Shard } from "./positions.js";
import type { ShardStore } from "./shard-store.js";

export interface HealthMetrics {
  checked: Counter;
  flagged: Counter;
  missed: Counter;
  unevaluable: Counter;
  evalSeconds: Histogram<"source">;
  held: Gauge;
}

export interface HealthCheckerOptions {
  id: string;
  product: Product;
  redis: RedisClient;
  keys: PipelineKeys;
  logger: Logger;
  client: ChainClient;
  store: ShardStore;
  counters: BlockCounters;
  metrics: HealthMetrics;
  shards: number;
  memberTtlMs: number;
  /** Contract addresses, resolved on first use. */
  addresses: () => Promise<MarsAddresses>;
  /** Where health comes from by default (HEALTH_SOURCE). */
  source: "local" | "query";
  /** Query-mode settings for the resolved addresses. */
  query: (addresses: MarsAddresses) => QueryModeOptions;
  threshold: bigint;
  minDebtValue: bigint;
  repeatBlocks: number;
}

/** What evaluating one shard at one height did. */
export interface ShardRun extends ShardVerdict {
  shard: number;
  height: number;
  queued: number;
  ms: number;
}

export class HealthChecker implements Component {
  readonly name = "health-checker";
  readonly #o: HealthCheckerOptions;
  readonly #membership: Membership;
  readonly #consumers = new Map<number, QueueConsumer<HealthWork>>();
  readonly #evaluated = new Map<number, number>();
  readonly #markets = new Map<number, Promise<MarketState>>();
  /** Height at which this instance last sent each account to the liquidate queue. */
  readonly #queuedAt = new Map<string, number>();
  #reconciling: Promise<void> = Promise.resolve();

  constructor(options: HealthCheckerOptions) {
    this.#o = options;
    this.#membership = new Membership({
      redis: options.redis,
      key: options.keys.healthMembers,
      id: options.id,
      shards: options.shards,
      ttlMs: options.memberTtlMs,
      logger: options.logger,
      onChange: (owned) => (this.#reconciling = this.#reconciling.catch(() => undefined).then(() => this.#reconcile(owned))),
    });
  }

  async start(): Promise<void> {
    await this.#o.store.start();
    await this.#membership.start();
  }

  async stop(): Promise<void> {
    await this.#membership.stop();
    await this.#reconciling.catch(() => undefined);
    await Promise.all([...this.#consumers.values()].map((c) => c.stop({ deadlineMs: 10_000 })));
    this.#consumers.clear();
    await this.#o.store.stop();
  }

  ready(): boolean {
    return [...this.#membership.owned].every((s) => this.#consumers.has(s));
  }

  /** Takes newly owned shards (load, then consume their work) and lets go of lost ones (stop consuming, then drop). */
  async #reconcile(owned: ReadonlySet<number>): Promise<void> {
    const { store, redis, keys, logger, metrics } = this.#o;
    for (const [shard, consumer] of this.#consumers) {
      if (owned.has(shard)) continue;
      await consumer.stop({ deadlineMs: 10_000 });
      this.#consumers.delete(shard);
      store.drop(shard);
    }
    for (const shard of owned) {
      if (this.#consumers.has(shard)) continue;
      await store.load(shard);
      const queue = new ReliableQueue<HealthWork>({ redis, keys: keys.queue(QUEUES.health(shard)), logger, schema: healthWorkSchema });
      const consumer = queue.consumer({ handler: (item) => this.#handle(item, queue) });
      await consumer.start();
      this.#consumers.set(shard, consumer);
    }
    metrics.held.set(store.size);
  }

  async #handle(item: QueueItem<HealthWork>, queue: ReliableQueue<HealthWork>): Promise<void> {
    const { shard } = item.data;
    const { redis, counters, metrics, logger } = this.#o;
    // Work older than work already done, or than work already waiting, is missed by design.
    const newest = await redis.lindex(queue.keys.pending, -1);
    const newestHeight = newest === null ? -1 : Number((JSON.parse(newest) as { height?: unknown }).height);
    if (item.height <= (this.#evaluated.get(shard) ?? -1) || newestHeight > item.height) {
      metrics.missed.inc();
      await counters.incr(item.height, "missed");
      logger.debug({ shard, height: item.height, newestHeight }, "stale health work dropped");
      return;
    }
    await this.evaluate(shard, item.height);
  }

  /** The positions held, by shard. */
  shards(): ReadonlyMap<number, Shard> {
    return this.#o.store.shards;
  }

  /** Evaluates a held shard at `height` (by the configured source unless `query` says otherwise) and queues what it flagged. */
  async evaluate(shard: number, height: number, opts: { query?: boolean } = {}): Promise<ShardRun> {
    const { store, redis, keys, counters, metrics, logger } = this.#o;
    const positions = store.shards.get(shard);
    if (positions === undefined) throw new Error(`shard ${shard} is not held by this instance`);
    const market = await this.market(height);
    const started = performance.now();
    const query = opts.query ?? this.#o.source === "query";
    // Accounts this instance queued within the repeat window are neither sized nor sent again (the
    // push script would refuse them anyway): at scale, most flagged positions are the last blocks'.
    const recentlyQueued = (account: string) => {
      const last = this.#queuedAt.get(account);
      return last !== undefined && height - last < this.#o.repeatBlocks && last <= height;
    };
    const evalOpts: EvaluateOptions = { threshold: this.#o.threshold, minDebtValue: this.#o.minDebtValue, now: Date.now(), recentlyQueued };
    const verdict = query ? await queryShard(positions, market, evalOpts, this.#o.query(await this.#o.addresses())) : evaluateShard(positions, market, evalOpts);
    const ms = performance.now() - started;
    this.#evaluated.set(shard, Math.max(height, this.#evaluated.get(shard) ?? -1));
    const queued = await pushCandidates(redis, keys, height, verdict.flagged, this.#o.repeatBlocks);
    for (const c of verdict.flagged) this.#queuedAt.set(c.account, height);
    if (this.#queuedAt.size > 4 * Math.max(1_000, verdict.flagged.length + verdict.stillQueued.length)) {
      for (const [account, at] of this.#queuedAt) if (height - at >= this.#o.repeatBlocks) this.#queuedAt.delete(account);
    }
    metrics.evalSeconds.observe({ source: query ? "query" : "local" }, ms / 1000);
    metrics.checked.inc(verdict.checked);
    const unhealthy = verdict.flagged.length + verdict.stillQueued.length;
    metrics.flagged.inc(unhealthy);
    await counters.incr(height, "checked", verdict.checked);
    if (unhealthy > 0) await counters.incr(height, "unhealthy", unhealthy);
    if (verdict.unevaluable.size > 0) {
      const count = [...verdict.unevaluable.values()].reduce((a, b) => a + b, 0);
      metrics.unevaluable.inc(count);
      logger.warn({ shard, height, count, reasons: Object.fromEntries([...verdict.unevaluable].slice(0, 5)) }, "positions could not be evaluated this block");
    }
    if (unhealthy > 0) logger.info({ shard, height, flagged: unhealthy, queued, ms: Math.round(ms) }, "liquidatable positions found");
    return { ...verdict, shard, height, queued, ms };
  }

  /** The market state of `height`, read once however many shards evaluate it. */
  market(height: number): Promise<MarketState> {
    let m = this.#markets.get(height);
    if (m === undefined) {
      m = (async () => {
        const addresses = await this.#o.addresses();
        const at = await this.#o.client.block(height);
        return readMarketState(this.#o.client, addresses, at, { creditManager: this.#o.product === "rover", logger: this.#o.logger });
      })();
      m.catch(() => this.#markets.delete(height));
      this.#markets.set(height, m);
      for (const h of this.#markets.keys()) if (h < height - 8) this.#markets.delete(h);
    }
    return m;
  }
}
