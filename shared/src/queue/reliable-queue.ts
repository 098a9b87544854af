import type { Logger } from "pino";
import type { z } from "zod";
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { parseHeartbeat, type ConsumerHeartbeat } from "./consumer-heartbeat.js";
import { encodeItem, parseDeadLetter, type DeadLetter, type NewQueueItem } from "./envelope.js";
import { QueueConsumer, type QueueConsumerOptions } from "./queue-consumer.js";
import { reapDeadConsumers, type ReaperPass } from "./reaper.js";

/** Default deliveries allowed per item before it is dead-lettered. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Default number of items per RPUSH when pushing a batch. */
export const DEFAULT_PUSH_CHUNK_SIZE = 1_000;

/** Options of `ReliableQueue`. */
export interface ReliableQueueOptions<T> {
  /** Shared connection for non-blocking commands; consumers duplicate it for their blocking claim. */
  redis: RedisClient;
  /** The queue's keys, from `pipelineKeys(...).queue(name)`. */
  keys: QueueKeys;
  /** Parent logger; the queue logs through a child bound to `{ component: "queue", queue }`. */
  logger: Logger;
  /** Validates each item's `data` on the consumer side; failures are dead-lettered with the reason. */
  schema?: z.ZodType<T> | undefined;
  /** Deliveries allowed per item (handler failures and consumer deaths both count). Default 5. */
  maxAttempts?: number | undefined;
  /** Items per RPUSH in `push`; the chunks go in one pipeline. Default 1000. */
  pushChunkSize?: number | undefined;
}

/** Sizes of a queue's lists, for monitoring and tests. */
export interface QueueDepth {
  pending: number;
  dead: number;
  /** Items held in processing lists, summed over registered consumers. */
  processing: number;
  /** Registered consumer ids (alive or not yet reaped). */
  consumers: number;
}

/** A registered consumer as the manager sees it. */
export interface ConsumerStatus {
  id: string;
  /** Its heartbeat value, or null when the key has expired (dead, not yet reaped). */
  heartbeat: ConsumerHeartbeat | null;
  /** Items in its processing list. */
  processing: number;
}

/**
 * A reliable work queue on Redis lists (see DESIGN.md "Queues and state in Redis"). Producers
 * `push`; consumers created with `consumer()` move items into their own processing list, ack by
 * removing them, and a reaper returns the items of consumers whose heartbeat expired. Every state
 * change that reads then writes is one Lua script in `shared/lua/`.
 */
export class ReliableQueue<T> {
  /** The queue's name (the last part of its keys). */
  readonly name: string;
  /** The queue's Redis keys. */
  readonly keys: QueueKeys;
  /** Deliveries allowed per item. */
  readonly maxAttempts: number;
  /** Consumer-side validator of `data`, when given. */
  readonly schema: z.ZodType<T> | undefined;
  /** The shared non-blocking connection (consumers duplicate it for BLMOVE). */
  readonly redis: RedisClient;
  /** Child logger bound to `{ component: "queue", queue }`. */
  readonly logger: Logger;
  private readonly pushChunkSize: number;

  constructor(opts: ReliableQueueOptions<T>) {
    this.redis = opts.redis;
    this.keys = opts.keys;
    this.name = opts.keys.name;
    this.schema = opts.schema;
    this.maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.pushChunkSize = opts.pushChunkSize ?? DEFAULT_PUSH_CHUNK_SIZE;
    if (!Number.isSafeInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError(`maxAttempts of queue ${this.name} must be an integer >= 1, got ${this.maxAttempts}`);
    if (!Number.isSafeInteger(this.pushChunkSize) || this.pushChunkSize < 1) throw new RangeError(`pushChunkSize of queue ${this.name} must be an integer >= 1, got ${this.pushChunkSize}`);
    this.logger = opts.logger.child({ component: "queue", queue: this.name });
  }

  /** Appends items to the tail of pending (RPUSH in chunks, one pipeline); returns how many were pushed. */
  async push(items: readonly NewQueueItem<T>[]): Promise<number> {
    if (items.length === 0) return 0;
    const raws = items.map((item) => encodeItem(item));
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < raws.length; i += this.pushChunkSize) pipeline.rpush(this.keys.pending, ...raws.slice(i, i + this.pushChunkSize));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err !== null)?.[0];
    if (failed) throw new Error(`push of ${items.length} items to queue ${this.name} failed: ${failed.message}`, { cause: failed });
    return raws.length;
  }

  /** Creates a consumer of this queue; call `start()` on it. */
  consumer(opts: QueueConsumerOptions<T>): QueueConsumer<T> {
    return new QueueConsumer(this, opts);
  }

  /**
   * One reaper pass: recovers the items of consumers whose heartbeat expired. With `guardMs`, at
   * most one pass per `guardMs` runs across the cluster. Consumers run this on a timer themselves.
   */
  reap(opts: { guardMs?: number; excludeConsumer?: string; nowMs?: number } = {}): Promise<ReaperPass> {
    return reapDeadConsumers(this.redis, this.keys, { ...opts, maxAttempts: this.maxAttempts, logger: this.logger });
  }

  /** Lengths of pending, dead and all processing lists, and the number of registered consumers. */
  async depth(): Promise<QueueDepth> {
    const ids = await this.redis.smembers(this.keys.consumers);
    const pipeline = this.redis.pipeline().llen(this.keys.pending).llen(this.keys.dead);
    for (const id of ids) pipeline.llen(this.keys.processing(id));
    const counts = ((await pipeline.exec()) ?? []).map(([err, n]) => {
      if (err) throw err;
      return Number(n);
    });
    const [pending = 0, dead = 0, ...processing] = counts;
    return { pending, dead, processing: processing.reduce((a, b) => a + b, 0), consumers: ids.length };
  }

  /** Registered consumers with their heartbeat (throughput) and the number of items each holds. */
  async consumers(): Promise<ConsumerStatus[]> {
    const ids = await this.redis.smembers(this.keys.consumers);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.get(this.keys.heartbeat(id)).llen(this.keys.processing(id));
    const results = (await pipeline.exec()) ?? [];
    return ids.map((id, i) => {
      const [hbErr, hb] = results[2 * i] ?? [null, null];
      const [lenErr, len] = results[2 * i + 1] ?? [null, 0];
      if (hbErr || lenErr) throw hbErr ?? lenErr;
      return { id, heartbeat: parseHeartbeat(typeof hb === "string" ? hb : null), processing: Number(len) };
    });
  }

  /** Reads dead-letter records, oldest first (LRANGE start..stop, inclusive; default all). */
  async deadLetters(start = 0, stop = -1): Promise<DeadLetter[]> {
    return (await this.redis.lrange(this.keys.dead, start, stop)).map((raw) => parseDeadLetter(raw));
  }
}
