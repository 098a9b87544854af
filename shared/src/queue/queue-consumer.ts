import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { RedisClient } from "../redis/connection.js";
import { backoffDelayMs, type BackoffOptions } from "../runtime/retry.js";
import { HeartbeatLoop } from "./consumer-heartbeat.js";
import type { QueueItem } from "./envelope.js";
import { processItem, type ItemContext } from "./process-item.js";
import { settlesWithin, within } from "./deadline.js";
import { ConsumerAliveError } from "./queue-errors.js";
import { claimBatch, reapConsumer, returnItems, unregisterConsumer } from "./queue-scripts.js";
import type { ReliableQueue } from "./reliable-queue.js";

/** What a handler gets besides the item. */
export interface HandlerContext {
  /** Aborted when a stop's deadline passes; the item is then returned to pending. */
  signal: AbortSignal;
  /** Child logger bound to `{ jobId, height, attempt }` (plus queue and consumer). */
  logger: Logger;
}

/**
 * Processes one item. Resolve to ack it. Throw `UnrecoverableError` to dead-letter it at once;
 * throw anything else to retry it (attempt + 1) until the queue's `maxAttempts`.
 */
export type ItemHandler<T> = (item: QueueItem<T>, ctx: HandlerContext) => Promise<void>;

/** Options of a consumer; the queue supplies Redis, keys, schema and `maxAttempts`. */
export interface QueueConsumerOptions<T> {
  handler: ItemHandler<T>;
  /** Unique id of this consumer; default `<hostname>:<pid>:<random>`. */
  consumerId?: string | undefined;
  /** Items claimed per round trip (one BLMOVE, then a script for the rest). Default 1. */
  batchSize?: number | undefined;
  /** Items of a batch handled at the same time. Default 1. */
  concurrency?: number | undefined;
  /** How long one BLMOVE waits for an item, in milliseconds. Default 2000. */
  blockTimeoutMs?: number | undefined;
  /** Heartbeat key TTL in milliseconds, refreshed every third of it. Default 10000. */
  heartbeatTtlMs?: number | undefined;
  /** Run the reaper on a timer (guarded cluster-wide). Default true. */
  reaper?: boolean | undefined;
  /** Milliseconds between reaper passes across all consumers. Default `heartbeatTtlMs`. */
  reaperIntervalMs?: number | undefined;
  /** Backoff after a failed claim. Default 100 ms doubling to 5 s. */
  errorBackoff?: BackoffOptions | undefined;
  /** Upper bound of each Redis step of `stop()`, in milliseconds (Redis may be down). Default 5000. */
  cleanupTimeoutMs?: number | undefined;
}

/** What `stop()` did. */
export interface StopResult {
  /** True when every started item finished before the deadline. */
  finishedInTime: boolean;
  /** Items returned to the head of pending (unfinished or never started). */
  returned: number;
  /** True when the heartbeat and registration were removed (false: left for the reaper). */
  unregistered: boolean;
}

/** Default deadline of `stop()` for in-flight items, in milliseconds. */
export const DEFAULT_STOP_DEADLINE_MS = 10_000;

/**
 * One consumer of a reliable queue: claims batches into its own processing list, runs the handler
 * with bounded concurrency, acks, retries or dead-letters each item, keeps a heartbeat, runs the
 * reaper, re-adopts its orphans after a reconnect and stops gracefully. Create with `queue.consumer()`.
 */
export class QueueConsumer<T> {
  /** This consumer's id (part of its processing and heartbeat keys). */
  readonly consumerId: string;
  private readonly queue: ReliableQueue<T>;
  private readonly handler: ItemHandler<T>;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly blockTimeoutMs: number;
  private readonly heartbeatTtlMs: number;
  private readonly reaperIntervalMs: number | undefined;
  private readonly errorBackoff: BackoffOptions;
  private readonly cleanupTimeoutMs: number;
  private readonly heartbeat: HeartbeatLoop;
  private readonly itemContext: ItemContext<T>;
  private readonly deadline = new AbortController();
  private readonly wake = new AbortController();
  private readonly unwatch: (() => void)[] = [];
  private blocking: RedisClient | undefined;
  private reaperTimer: NodeJS.Timeout | undefined;
  private reaperPausedUntil = 0;
  private loopDone: Promise<void> = Promise.resolve();
  private needsReadopt = false;
  private readonly inFlight = new Set<Promise<void>>();
  private stopRequested = false;
  private stopping: Promise<StopResult> | undefined;
  private started = false;

  constructor(queue: ReliableQueue<T>, opts: QueueConsumerOptions<T>) {
    this.queue = queue;
    this.handler = opts.handler;
    this.consumerId = opts.consumerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.batchSize = opts.batchSize ?? 1;
    this.concurrency = opts.concurrency ?? 1;
    this.blockTimeoutMs = opts.blockTimeoutMs ?? 2_000;
    this.heartbeatTtlMs = opts.heartbeatTtlMs ?? 10_000;
    this.reaperIntervalMs = opts.reaper === false ? undefined : (opts.reaperIntervalMs ?? this.heartbeatTtlMs);
    this.errorBackoff = opts.errorBackoff ?? { baseMs: 100, maxMs: 5_000 };
    this.cleanupTimeoutMs = opts.cleanupTimeoutMs ?? 5_000;
    for (const [name, value] of Object.entries({ batchSize: this.batchSize, concurrency: this.concurrency, blockTimeoutMs: this.blockTimeoutMs, heartbeatTtlMs: this.heartbeatTtlMs })) {
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} of a consumer of queue ${queue.name} must be an integer >= 1, got ${value}`);
    }
    this.log = queue.logger.child({ consumer: this.consumerId });
    this.heartbeat = new HeartbeatLoop({ redis: queue.redis, keys: queue.keys, consumerId: this.consumerId, heartbeatTtlMs: this.heartbeatTtlMs, logger: this.log });
    this.itemContext = {
      queue, consumerId: this.consumerId, handler: this.handler, log: this.log, deadline: this.deadline.signal,
      onSettled: (busyMs) => this.heartbeat.recordProcessed(1, busyMs),
      onOutcomeLost: () => {
        this.needsReadopt = true;
      },
    };
  }

  /** Registers the consumer (first heartbeat), opens its blocking connection and starts claiming. */
  async start(): Promise<void> {
    if (this.started || this.stopping) throw new Error(`consumer ${this.consumerId} of queue ${this.queue.name} was already started or stopped`);
    this.started = true;
    await this.recoverLeftovers();
    await this.heartbeat.start();
    if (this.stopRequested) return;
    const blocking = this.queue.redis.duplicate();
    blocking.on("error", (err: Error) => this.log.debug({ err }, "blocking connection error"));
    this.blocking = blocking;
    this.watchReconnects(this.queue.redis);
    this.watchReconnects(blocking);
    if (this.reaperIntervalMs !== undefined) {
      void this.reapOnce();
      this.reaperTimer = setInterval(() => void this.reapOnce(), this.reaperIntervalMs);
      this.reaperTimer.unref();
    }
    this.loopDone = this.loop(blocking);
    this.log.info({ batchSize: this.batchSize, concurrency: this.concurrency, heartbeatTtlMs: this.heartbeatTtlMs }, "queue consumer started");
  }

  /**
   * Stops claiming, lets in-flight items finish until `deadlineMs` from now, returns unfinished
   * and unstarted items to the head of pending, then removes the heartbeat and registration.
   * Idempotent: every call returns the same promise. Each step is guarded so later steps still run.
   */
  stop(opts: { deadlineMs?: number } = {}): Promise<StopResult> {
    this.stopping ??= this.shutdown(opts.deadlineMs ?? DEFAULT_STOP_DEADLINE_MS);
    return this.stopping;
  }

  private async shutdown(deadlineMs: number): Promise<StopResult> {
    this.stopRequested = true;
    this.wake.abort();
    clearInterval(this.reaperTimer);
    const result: StopResult = { finishedInTime: true, returned: 0, unregistered: false };
    const { redis, keys } = this.queue;
    try {
      this.blocking?.disconnect();
    } catch (err) {
      this.log.warn({ err }, "closing the blocking connection failed");
    }
    result.finishedInTime = await settlesWithin(this.loopDone, deadlineMs);
    if (!result.finishedInTime) {
      this.deadline.abort(new Error(`consumer ${this.consumerId} stop deadline of ${deadlineMs} ms passed`));
      this.log.warn({ deadlineMs }, "in-flight items did not finish before the stop deadline; returning them to pending");
    }
    try {
      await within(this.heartbeat.stop(), this.cleanupTimeoutMs, "stopping the heartbeat");
    } catch (err) {
      this.log.warn({ err }, "stopping the heartbeat failed");
    }
    try {
      const held = await within(redis.lrange(keys.processing(this.consumerId), 0, -1), this.cleanupTimeoutMs, "reading the processing list");
      result.returned = await within(returnItems(redis, keys, this.consumerId, held), this.cleanupTimeoutMs, "returning items");
    } catch (err) {
      this.log.error({ err }, "returning unfinished items failed; the reaper will recover them after the heartbeat expires");
    }
    try {
      result.unregistered = await within(unregisterConsumer(redis, keys, this.consumerId), this.cleanupTimeoutMs, "unregistering");
    } catch (err) {
      this.log.error({ err }, "unregistering the consumer failed; the reaper will remove it after the heartbeat expires");
    }
    for (const off of this.unwatch) off();
    this.log.info({ ...result }, "queue consumer stopped");
    return result;
  }

  /**
   * Items left in our processing list by an earlier process with the same consumer id (a fixed id
   * that crashed and restarted) would sit there forever under a live heartbeat. Recover them as the
   * reaper would (attempt + 1, so a poison item that kills its process is dead-lettered eventually).
   */
  private async recoverLeftovers(): Promise<void> {
    const { redis, keys, maxAttempts } = this.queue;
    if ((await redis.llen(keys.processing(this.consumerId))) === 0) return;
    try {
      const result = await reapConsumer(redis, keys, this.consumerId, { maxAttempts, nowMs: Date.now() });
      this.log.warn({ ...result }, "recovered items an earlier process with this consumer id left behind");
    } catch (err) {
      if (!(err instanceof ConsumerAliveError)) throw err;
      // Restarted within heartbeatTtlMs, or another live process uses this id (a misconfiguration).
      this.needsReadopt = true;
      this.log.warn("processing list not empty and heartbeat present at start: duplicate consumer id or a quick restart; returning the items unchanged");
    }
  }

  /** A 'ready' after the first one is a reconnect: claims in flight may have lost their reply. */
  private watchReconnects(conn: RedisClient): void {
    let seenReady = conn.status === "ready";
    const onReady = () => {
      if (seenReady && !this.stopRequested) {
        this.needsReadopt = true;
        // Others may not have refreshed their heartbeats yet; give them a full TTL before reaping.
        this.reaperPausedUntil = Date.now() + this.heartbeatTtlMs;
        void this.heartbeat.beat();
        this.log.info("redis reconnected; re-adopting items left in the processing list");
      }
      seenReady = true;
    };
    conn.on("ready", onReady);
    this.unwatch.push(() => conn.off("ready", onReady));
  }

  /**
   * Claims whenever a slot is free and hands each item to the handler at once, so a slow item never
   * holds back the claiming of the next (items are not processed in lock-step batches).
   */
  private async loop(blocking: RedisClient): Promise<void> {
    let failures = 0;
    while (!this.stopRequested) {
      try {
        if (this.needsReadopt) {
          // Re-adoption needs a consumer that handles nothing: let what runs finish first.
          await Promise.all(this.inFlight);
          if (this.stopRequested) break;
          await this.readopt();
        }
        const free = this.concurrency - this.inFlight.size;
        if (free <= 0) {
          await Promise.race(this.inFlight);
          continue;
        }
        const batch = await this.claim(blocking, Math.min(free, this.batchSize));
        failures = 0;
        for (const raw of batch) this.track(processItem(this.itemContext, raw));
      } catch (err) {
        if (this.stopRequested) break;
        failures++;
        // A claim that failed may still have moved an item whose reply we never saw.
        this.needsReadopt = true;
        const delayMs = backoffDelayMs(failures, this.errorBackoff);
        this.log.warn({ err, delayMs }, "claiming from the queue failed; retrying");
        await this.pause(delayMs);
      }
    }
    await Promise.all(this.inFlight);
  }

  /** Keeps an item's processing in the in-flight set until it settles. */
  private track(processing: Promise<void>): void {
    const settled: Promise<void> = processing
      .catch((err: unknown) => this.log.error({ err }, "processing an item failed outside its handler"))
      .finally(() => this.inFlight.delete(settled));
    this.inFlight.add(settled);
  }

  private async claim(blocking: RedisClient, count: number): Promise<string[]> {
    const { redis, keys } = this.queue;
    const first = await blocking.blmove(keys.pending, keys.processing(this.consumerId), "LEFT", "RIGHT", (this.blockTimeoutMs / 1000).toFixed(3));
    if (first === null || count === 1) return first === null ? [] : [first];
    return [first, ...(await claimBatch(redis, keys, this.consumerId, count - 1))];
  }

  /**
   * Returns everything in our processing list to the head of pending. Runs only when this consumer
   * handles nothing, so whatever the list holds is an orphan (a claim whose
   * reply was lost, or an item whose ack failed).
   */
  private async readopt(): Promise<void> {
    this.needsReadopt = false;
    const { redis, keys } = this.queue;
    const held = await redis.lrange(keys.processing(this.consumerId), 0, -1);
    const returned = await returnItems(redis, keys, this.consumerId, held);
    if (returned > 0) this.log.warn({ returned }, "returned orphaned items from the processing list to pending");
  }

  private async reapOnce(): Promise<void> {
    if (this.stopRequested || Date.now() < this.reaperPausedUntil) return;
    try {
      await this.queue.reap({ guardMs: this.reaperIntervalMs, excludeConsumer: this.consumerId });
    } catch (err) {
      this.log.warn({ err }, "reaper pass failed");
    }
  }

  /** Sleeps `ms`, or less when stop() is called. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.signal.addEventListener("abort", done, { once: true });
    });
  }
}
