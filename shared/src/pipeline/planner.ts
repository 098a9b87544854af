/**
 * What one block asks of a pipeline: the collector follows the block, rescans shards when a rescan
 * is due, and every health-checker shard is evaluated at the block's height. The manager calls
 * `plan` once per new block; tests and benchmarks call it directly.
 */
import type { Logger } from "pino";
import type { Product } from "../config/fragments.js";
import type { RedisClient } from "../redis/connection.js";
import type { PipelineKeys } from "../redis/keys.js";
import { ReliableQueue } from "../queue/reliable-queue.js";
import { QUEUES, type CollectWork, type HealthWork } from "./work.js";

export interface WorkPlannerOptions {
  redis: RedisClient;
  keys: PipelineKeys;
  logger: Logger;
  product: Product;
  shards: number;
  /** Blocks between full rescans; 0 scans only at the first block planned. */
  rescanEveryBlocks: number;
}

export class WorkPlanner {
  readonly collect: ReliableQueue<CollectWork>;
  readonly health: ReliableQueue<HealthWork>[];
  readonly #o: WorkPlannerOptions;
  #lastScan: number | null = null;

  constructor(options: WorkPlannerOptions) {
    this.#o = options;
    const { redis, keys, logger } = options;
    this.collect = new ReliableQueue<CollectWork>({ redis, keys: keys.queue(QUEUES.collect), logger });
    this.health = Array.from({ length: options.shards }, (_, s) => new ReliableQueue<HealthWork>({ redis, keys: keys.queue(QUEUES.health(s)), logger }));
  }

  /** Whether block `height` is due for a full rescan. */
  scanDue(height: number): boolean {
    if (this.#lastScan === null) return true;
    return this.#o.rescanEveryBlocks > 0 && height - this.#lastScan >= this.#o.rescanEveryBlocks;
  }

  /** Enqueues block `height`'s work: follow it, rescan when due, evaluate every shard. */
  async plan(height: number, opts: { health?: boolean } = {}): Promise<void> {
    const items: { id: string; height: number; data: CollectWork }[] = [{ id: `block:${height}`, height, data: { kind: "block" } }];
    if (this.scanDue(height)) {
      this.#lastScan = height;
      // Credit accounts are not key-partitioned: one scan covers every shard.
      const scanned = this.#o.product === "rover" ? [0] : Array.from({ length: this.#o.shards }, (_, s) => s);
      for (const shard of scanned) items.push({ id: `scan:${height}:${shard}`, height, data: { kind: "scan", shard } });
    }
    await this.collect.push(items);
    if (opts.health !== false) await Promise.all(this.health.map((q, shard) => q.push([{ id: `health:${height}:${shard}`, height, data: { shard } }])));
  }
}
