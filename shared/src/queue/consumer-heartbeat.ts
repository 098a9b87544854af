import type { Logger } from "pino";
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";

/**
 * The value of a consumer's heartbeat key: its throughput over the last heartbeat interval, for
 * the manager's scaling decisions. Kept small; it is rewritten every `heartbeatTtlMs / 3`.
 */
export interface ConsumerHeartbeat {
  /** Items finished (acked, requeued or dead-lettered) during the last interval. */
  processed: number;
  /** Length of that interval, in milliseconds. */
  intervalMs: number;
  /** `processed` per second over the interval, rounded down. */
  itemsPerSec: number;
  /** Milliseconds spent in those items (summed over concurrent ones): with `processed`, the capacity of a busy consumer. */
  busyMs: number;
  /** When the heartbeat was written, epoch milliseconds. */
  at: number;
}

/** Serialises a heartbeat value (JSON, a few dozen bytes). */
export function encodeHeartbeat(hb: ConsumerHeartbeat): string {
  return JSON.stringify(hb);
}

/** Parses a heartbeat value; null for a missing key or a value written by something else. */
export function parseHeartbeat(raw: string | null): ConsumerHeartbeat | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<ConsumerHeartbeat>;
    const fields = [v.processed, v.intervalMs, v.itemsPerSec, v.at];
    if (!fields.every((f) => typeof f === "number" && Number.isSafeInteger(f))) return null;
    return { processed: v.processed!, intervalMs: v.intervalMs!, itemsPerSec: v.itemsPerSec!, busyMs: typeof v.busyMs === "number" ? v.busyMs : 0, at: v.at! };
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/** Options of `HeartbeatLoop`. */
export interface HeartbeatLoopOptions {
  redis: RedisClient;
  keys: QueueKeys;
  consumerId: string;
  /** Time to live of the heartbeat key, in milliseconds; refreshed every third of it. */
  heartbeatTtlMs: number;
  logger: Logger;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * Keeps one consumer registered and alive: every `heartbeatTtlMs / 3` it adds the id to the
 * queue's consumer set and rewrites the heartbeat key with PX (one MULTI of blind writes). A
 * consumer that stops beating for `heartbeatTtlMs` is dead to the reaper.
 */
export class HeartbeatLoop {
  private readonly opts: HeartbeatLoopOptions;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private inProgress: Promise<void> | undefined;
  private processedSinceBeat = 0;
  private busySinceBeat = 0;
  private lastBeatAt: number;
  private stopped = false;

  constructor(opts: HeartbeatLoopOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.lastBeatAt = this.now();
  }

  /** Writes the first heartbeat (awaited, so the consumer is registered before it claims) and starts the timer. */
  async start(): Promise<void> {
    await this.write(true);
    if (this.stopped) return;
    const everyMs = Math.max(1, Math.floor(this.opts.heartbeatTtlMs / 3));
    this.timer = setInterval(() => void this.beat(), everyMs);
    this.timer.unref();
  }

  /** Counts finished items for the throughput in the next heartbeat. */
  recordProcessed(count = 1, busyMs = 0): void {
    this.processedSinceBeat += count;
    this.busySinceBeat += busyMs;
  }

  /** Beats now unless a beat is already in flight (e.g. right after a reconnect). */
  beat(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.inProgress ??= this.write(false).finally(() => {
      this.inProgress = undefined;
    });
    return this.inProgress;
  }

  /** Stops beating and waits for a beat in flight; the caller then unregisters the consumer. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.inProgress;
  }

  private async write(throwOnError: boolean): Promise<void> {
    const { redis, keys, consumerId, heartbeatTtlMs, logger } = this.opts;
    const at = this.now();
    const intervalMs = Math.max(1, at - this.lastBeatAt);
    const processed = this.processedSinceBeat;
    const busyMs = Math.round(this.busySinceBeat);
    const value = encodeHeartbeat({ processed, intervalMs, itemsPerSec: Math.floor((processed * 1000) / intervalMs), busyMs, at });
    try {
      const results = await redis.multi().sadd(keys.consumers, consumerId).set(keys.heartbeat(consumerId), value, "PX", heartbeatTtlMs).exec();
      const failed = results?.find(([err]) => err !== null)?.[0];
      if (results === null || failed) throw failed ?? new Error(`heartbeat MULTI of consumer ${consumerId} was aborted`);
      this.processedSinceBeat -= processed;
      this.busySinceBeat = Math.max(0, this.busySinceBeat - busyMs);
      this.lastBeatAt = at;
    } catch (err) {
      if (throwOnError) throw err;
      logger.warn({ err, heartbeatTtlMs }, "heartbeat failed; the reaper will recover this consumer's items if it stays down");
    }
  }
}
