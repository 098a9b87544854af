import type { Logger } from "pino";
import { UnrecoverableError } from "../errors.js";
import { decodeItem } from "./envelope.js";
import type { ItemHandler } from "./queue-consumer.js";
import { ItemNotHeldError } from "./queue-errors.js";
import { ackItems, deadLetterItem, retryItem } from "./queue-scripts.js";
import type { ReliableQueue } from "./reliable-queue.js";

/** What `processItem` needs from its consumer. */
export interface ItemContext<T> {
  queue: ReliableQueue<T>;
  consumerId: string;
  handler: ItemHandler<T>;
  /** The consumer's logger (`{ component, queue, consumer }`). */
  log: Logger;
  /** Aborted when the consumer's stop deadline passes. */
  deadline: AbortSignal;
  /** Called once per item whose outcome was sent, with the time it took (for the heartbeat's throughput and busy time). */
  onSettled: (busyMs: number) => void;
  /** Called when an outcome script failed, so the item may still sit in the processing list. */
  onOutcomeLost: () => void;
}

/** Awaits one outcome script; logs instead of throwing. */
async function settle<T, R>(ctx: ItemContext<T>, op: Promise<R>, what: string, startedAt: number): Promise<R | undefined> {
  ctx.onSettled(performance.now() - startedAt);
  try {
    return await op;
  } catch (err) {
    if (err instanceof ItemNotHeldError) {
      ctx.log.warn({ err }, `${what} skipped: item no longer held`);
      return undefined;
    }
    ctx.onOutcomeLost();
    ctx.log.error({ err }, `${what} failed; the item stays in the processing list and will be returned to pending`);
    return undefined;
  }
}

/**
 * Decodes one claimed item, runs the handler and records the outcome: ack on success, dead letter
 * for a malformed item or an `UnrecoverableError`, retry (attempt + 1, dead letter at the limit)
 * for any other error. Never throws. An outcome after the stop deadline is dropped, because
 * `stop()` returns the item to pending.
 */
export async function processItem<T>(ctx: ItemContext<T>, raw: string): Promise<void> {
  const { queue, consumerId } = ctx;
  const { redis, keys, schema, maxAttempts } = queue;
  const t0 = performance.now();
  const decoded = decodeItem(raw, schema);
  if (!decoded.ok) {
    ctx.log.warn({ reason: decoded.reason, jobId: decoded.id, attempt: decoded.attempt, bytes: raw.length }, "malformed queue item dead-lettered");
    ctx.log.debug({ preview: raw.slice(0, 200) }, "malformed queue item preview");
    const opts = { reason: decoded.reason, attempt: decoded.attempt, nowMs: Date.now(), itemId: decoded.id };
    await settle(ctx, deadLetterItem(redis, keys, consumerId, raw, opts), "dead-letter", t0);
    return;
  }
  const { item } = decoded;
  const log = ctx.log.child({ jobId: item.id, height: item.height, attempt: item.attempt });
  try {
    await ctx.handler(item, { signal: ctx.deadline, logger: log });
    if (ctx.deadline.aborted) throw ctx.deadline.reason;
  } catch (err) {
    if (ctx.deadline.aborted) {
      log.debug({ err }, "item outcome after the stop deadline ignored; the item goes back to pending");
      return;
    }
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof UnrecoverableError) {
      log.warn({ err }, "item failed for good; dead-lettered");
      const opts = { reason: `unrecoverable: ${reason}`, attempt: item.attempt, nowMs: Date.now(), itemId: item.id };
      await settle(ctx, deadLetterItem(redis, keys, consumerId, raw, opts), "dead-letter", t0);
      return;
    }
    const outcome = await settle(ctx, retryItem(redis, keys, consumerId, raw, { maxAttempts, reason, nowMs: Date.now(), itemId: item.id }), "retry", t0);
    if (outcome === "requeued") log.warn({ err }, "handler failed; item requeued");
    if (outcome === "dead") log.error({ err, maxAttempts }, "handler failed on the last attempt; item dead-lettered");
    return;
  }
  const acked = await settle(ctx, ackItems(redis, keys, consumerId, [raw]), "ack", t0);
  if (acked === 0) log.warn("item was no longer held when acked; it was returned to pending and will run again");
}
