import type { Logger } from "pino";
import type { RedisClient } from "../redis/connection.js";
import type { QueueKeys } from "../redis/keys.js";
import { ConsumerAliveError } from "./queue-errors.js";
import { reapConsumer } from "./queue-scripts.js";

/** Options of one reaper pass. */
export interface ReapOptions {
  /** Deliveries allowed per item; items of a dead consumer that reach it are dead-lettered. */
  maxAttempts: number;
  /**
   * Run at most one pass per this many milliseconds across all callers (SET NX PX on the queue's
   * reaper guard). Leave undefined to run unconditionally (tests, admin tools).
   */
  guardMs?: number | undefined;
  /** A consumer id to leave alone, normally the caller's own. */
  excludeConsumer?: string | undefined;
  /** The current time in epoch milliseconds (default `Date.now()`); written into dead letters. */
  nowMs?: number | undefined;
  logger: Logger;
}

/** What one reaper pass did. */
export interface ReaperPass {
  /** False when another caller holds the guard for this interval. */
  ran: boolean;
  /** Ids of the dead consumers whose items were recovered. */
  reaped: string[];
  /** Items returned to the head of pending. */
  requeued: number;
  /** Items dead-lettered because they had used up their attempts. */
  deadLettered: number;
}

/**
 * Recovers the items of dead consumers. A consumer is dead when its id is in the queue's consumer
 * set but its heartbeat key has expired: it was killed (SIGKILL, OOM, lost container) without
 * returning what it held. Its processing list goes back to the head of pending with attempt + 1,
 * so the oldest work is retried first; an item that keeps killing its consumers reaches
 * `maxAttempts` and is dead-lettered instead of taking down the whole fleet one by one.
 *
 * The heartbeat check here is only a filter; `reapConsumer-5.lua` checks again atomically, so a
 * consumer that comes back in between keeps its items.
 */
export async function reapDeadConsumers(redis: RedisClient, keys: QueueKeys, opts: ReapOptions): Promise<ReaperPass> {
  const nowMs = opts.nowMs ?? Date.now();
  const pass: ReaperPass = { ran: false, reaped: [], requeued: 0, deadLettered: 0 };
  if (opts.guardMs !== undefined) {
    const won = await redis.set(keys.reaperGuard, String(nowMs), "PX", opts.guardMs, "NX");
    if (won !== "OK") return pass;
  }
  pass.ran = true;
  const candidates = (await redis.smembers(keys.consumers)).filter((id) => id !== opts.excludeConsumer);
  if (candidates.length === 0) return pass;
  const pipeline = redis.pipeline();
  for (const id of candidates) pipeline.exists(keys.heartbeat(id));
  const results = (await pipeline.exec()) ?? [];
  const dead = candidates.filter((_id, i) => {
    const [err, exists] = results[i] ?? [new Error("missing pipeline reply"), null];
    if (err) throw err;
    return exists === 0;
  });
  for (const id of dead) {
    try {
      const result = await reapConsumer(redis, keys, id, { maxAttempts: opts.maxAttempts, nowMs });
      pass.reaped.push(id);
      pass.requeued += result.requeued;
      pass.deadLettered += result.deadLettered;
      opts.logger.warn({ deadConsumer: id, ...result }, "recovered the items of a dead consumer");
    } catch (err) {
      if (!(err instanceof ConsumerAliveError)) throw err;
      opts.logger.debug({ deadConsumer: id }, "consumer came back before it was reaped");
    }
  }
  return pass;
}
