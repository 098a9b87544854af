import type { QueueKeys } from "../redis/keys.js";
import type { RedisClient } from "../redis/connection.js";
import { loadScript, runScript, type LuaScript } from "../redis/lua-script.js";
import { expectCount, scriptError, UnknownScriptCodeError, type ScriptContext } from "./queue-errors.js";

/**
 * The queue's Lua scripts, each with its typed key builder. The builder's order must match the
 * `KEYS[i]` lines of the script header; `shared/test/queue-scripts.test.ts` checks both against the
 * header and the file name, so they cannot drift apart (bullmq builds KEYS by position unchecked).
 */
export const queueScripts = {
  claimBatch: { script: loadScript("claimBatch-2.lua"), keys: (q: QueueKeys, consumer: string) => [q.pending, q.processing(consumer)] },
  ackItems: { script: loadScript("ackItems-1.lua"), keys: (q: QueueKeys, consumer: string) => [q.processing(consumer)] },
  retryItem: { script: loadScript("retryItem-3.lua"), keys: (q: QueueKeys, consumer: string) => [q.processing(consumer), q.pending, q.dead] },
  deadLetterItem: { script: loadScript("deadLetterItem-2.lua"), keys: (q: QueueKeys, consumer: string) => [q.processing(consumer), q.dead] },
  returnItems: { script: loadScript("returnItems-2.lua"), keys: (q: QueueKeys, consumer: string) => [q.processing(consumer), q.pending] },
  reapConsumer: {
    script: loadScript("reapConsumer-5.lua"),
    keys: (q: QueueKeys, consumer: string) => [q.heartbeat(consumer), q.processing(consumer), q.pending, q.dead, q.consumers],
  },
  unregisterConsumer: {
    script: loadScript("unregisterConsumer-3.lua"),
    keys: (q: QueueKeys, consumer: string) => [q.heartbeat(consumer), q.processing(consumer), q.consumers],
  },
} satisfies Record<string, { script: LuaScript; keys: (q: QueueKeys, consumer: string) => string[] }>;

/** Name of a queue script, e.g. `claimBatch`. */
export type QueueScriptName = keyof typeof queueScripts;

function run(redis: RedisClient, name: QueueScriptName, q: QueueKeys, consumer: string, args: readonly (string | number)[]): Promise<unknown> {
  const entry = queueScripts[name];
  return runScript(redis, entry.script, entry.keys(q, consumer), args);
}

function ctx(name: QueueScriptName, q: QueueKeys, consumer: string, itemId?: string): ScriptContext {
  return { command: name, queue: q.name, consumer, itemId };
}

/** Moves up to `count` more items from pending into the consumer's processing list, without blocking. */
export async function claimBatch(redis: RedisClient, q: QueueKeys, consumer: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const result = await run(redis, "claimBatch", q, consumer, [count]);
  if (!Array.isArray(result) || !result.every((x): x is string => typeof x === "string")) {
    throw new UnknownScriptCodeError(ctx("claimBatch", q, consumer), result);
  }
  return result;
}

/** Removes items from the consumer's processing list in one round trip; returns how many were there. */
export async function ackItems(redis: RedisClient, q: QueueKeys, consumer: string, raws: readonly string[]): Promise<number> {
  if (raws.length === 0) return 0;
  return expectCount(await run(redis, "ackItems", q, consumer, raws), ctx("ackItems", q, consumer));
}

/** Outcome of `retryItem`. */
export type RetryOutcome = "requeued" | "dead";

/**
 * Requeues a failed item at the tail of pending with attempt + 1, or dead-letters it once that
 * reaches `maxAttempts`. Throws `ItemNotHeldError` when the item had already left our list.
 */
export async function retryItem(
  redis: RedisClient,
  q: QueueKeys,
  consumer: string,
  raw: string,
  opts: { maxAttempts: number; reason: string; nowMs: number; itemId?: string },
): Promise<RetryOutcome> {
  const context = ctx("retryItem", q, consumer, opts.itemId);
  const code = expectCount(await run(redis, "retryItem", q, consumer, [raw, opts.maxAttempts, opts.reason, q.name, consumer, opts.nowMs]), context);
  if (code === 1) return "requeued";
  if (code === 2) return "dead";
  throw new UnknownScriptCodeError(context, code);
}

/** Moves an item from the processing list to the dead letters; throws `ItemNotHeldError` if it had left. */
export async function deadLetterItem(
  redis: RedisClient,
  q: QueueKeys,
  consumer: string,
  raw: string,
  opts: { reason: string; attempt: number | undefined; nowMs: number; itemId?: string | undefined },
): Promise<void> {
  const args = [raw, opts.reason, q.name, consumer, opts.attempt === undefined ? "" : opts.attempt, opts.nowMs];
  expectCount(await run(redis, "deadLetterItem", q, consumer, args), ctx("deadLetterItem", q, consumer, opts.itemId));
}

/** Returns items (oldest first) from the processing list to the head of pending, unchanged. */
export async function returnItems(redis: RedisClient, q: QueueKeys, consumer: string, raws: readonly string[]): Promise<number> {
  if (raws.length === 0) return 0;
  return expectCount(await run(redis, "returnItems", q, consumer, raws), ctx("returnItems", q, consumer));
}

/** Items recovered from one dead consumer. */
export interface ReapResult {
  /** Items put back at the head of pending (attempt + 1, or unchanged when not an envelope). */
  requeued: number;
  /** Items that had used up their attempts. */
  deadLettered: number;
}

/** Recovers a dead consumer's items; throws `ConsumerAliveError` when its heartbeat is present. */
export async function reapConsumer(redis: RedisClient, q: QueueKeys, consumer: string, opts: { maxAttempts: number; nowMs: number }): Promise<ReapResult> {
  const context = ctx("reapConsumer", q, consumer);
  const result = await run(redis, "reapConsumer", q, consumer, [consumer, opts.maxAttempts, q.name, opts.nowMs]);
  if (typeof result === "number") throw result < 0 ? scriptError(result, context) : new UnknownScriptCodeError(context, result);
  if (Array.isArray(result) && result.length === 2 && typeof result[0] === "number" && typeof result[1] === "number") {
    return { requeued: result[0], deadLettered: result[1] };
  }
  throw new UnknownScriptCodeError(context, result);
}

/** Drops the heartbeat and, when nothing is held, the registration; returns whether it unregistered. */
export async function unregisterConsumer(redis: RedisClient, q: QueueKeys, consumer: string): Promise<boolean> {
  return expectCount(await run(redis, "unregisterConsumer", q, consumer, [consumer]), ctx("unregisterConsumer", q, consumer)) === 1;
}
