import type { z } from "zod";

/**
 * One queue item as handlers see it. On the wire it is the JSON envelope
 * `{"id":…,"height":…,"attempt":…,"data":…}` (keys in this order).
 */
export interface QueueItem<T> {
  /** Producer-chosen id, unique per logical piece of work (used in logs and dead letters). */
  id: string;
  /** Block height the item was produced for; consumers drop work older than their freshest state. */
  height: number;
  /** Deliveries that ended without an ack before this one (0 on the first delivery). */
  attempt: number;
  /** The payload, validated by the queue's schema when it has one. */
  data: T;
}

/** What a producer pushes; `attempt` defaults to 0. */
export interface NewQueueItem<T> {
  id: string;
  height: number;
  data: T;
  attempt?: number;
}

/** The JSON stored in a dead-letter list for each item that failed for good. */
export interface DeadLetter {
  /** The raw item string exactly as it was queued. */
  item: string;
  /** Why it is dead: decode error, the handler's last error, or the consumer that died holding it. */
  reason: string;
  queue: string;
  /** The consumer that dead-lettered it (or that died holding it). */
  consumer: string;
  /** The item's attempt when it died; null when the item could not be decoded. */
  attempt: number | null;
  /** When, in epoch milliseconds. */
  at: number;
}

/** Result of `decodeItem`: the item, or why it cannot be processed (plus whatever could be read). */
export type DecodeResult<T> =
  | { ok: true; item: QueueItem<T> }
  | { ok: false; reason: string; id: string | undefined; attempt: number | undefined };

/** A field value for a reason: JSON, cut to 40 characters so reasons stay small. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? "nothing";
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Serialises an item to its envelope; throws on an id, height or attempt that would not decode. */
export function encodeItem<T>(item: NewQueueItem<T>): string {
  const attempt = item.attempt ?? 0;
  if (typeof item.id !== "string" || item.id.length === 0) throw new TypeError(`queue item id must be a non-empty string, got ${JSON.stringify(item.id)}`);
  if (!isCount(item.height)) throw new TypeError(`queue item ${item.id}: height must be a non-negative integer, got ${String(item.height)}`);
  if (!isCount(attempt)) throw new TypeError(`queue item ${item.id}: attempt must be a non-negative integer, got ${String(attempt)}`);
  if (item.data === undefined) throw new TypeError(`queue item ${item.id}: data is undefined (use null for no payload)`);
  return JSON.stringify({ id: item.id, height: item.height, attempt, data: item.data });
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

/**
 * Parses and validates one raw item: JSON, the envelope's fields, then `data` against `schema`
 * (whose output, transforms included, becomes `item.data`). Never throws.
 */
export function decodeItem<T>(raw: string, schema?: z.ZodType<T>): DecodeResult<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    // V8's message quotes the input; keep the payload out of reasons (they are logged).
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    return { ok: false, reason: `not JSON (${raw.length} bytes${position ? `, error at position ${position}` : ""})`, id: undefined, attempt: undefined };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: `envelope must be a JSON object, got ${Array.isArray(parsed) ? "an array" : typeof parsed}`, id: undefined, attempt: undefined };
  }
  const env = parsed as Record<string, unknown>;
  const id = typeof env.id === "string" && env.id.length > 0 ? env.id : undefined;
  const attempt = isCount(env.attempt) ? env.attempt : undefined;
  const fail = (reason: string): DecodeResult<T> => ({ ok: false, reason, id, attempt });
  if (id === undefined) return fail(`envelope field id must be a non-empty string, got ${show(env.id)}`);
  if (!isCount(env.height)) return fail(`envelope field height must be a non-negative integer, got ${show(env.height)}`);
  if (attempt === undefined) return fail(`envelope field attempt must be a non-negative integer, got ${show(env.attempt)}`);
  if (!("data" in env)) return fail("envelope has no data field");
  if (schema === undefined) return { ok: true, item: { id, height: env.height, attempt, data: env.data as T } };
  const result = schema.safeParse(env.data);
  if (!result.success) return fail(`data does not match the schema: ${describeIssues(result.error.issues)}`);
  return { ok: true, item: { id, height: env.height, attempt, data: result.data } };
}

/** Parses one dead-letter record (as written by the Lua scripts). */
export function parseDeadLetter(raw: string): DeadLetter {
  const value = JSON.parse(raw) as Partial<DeadLetter>;
  if (typeof value.item !== "string" || typeof value.reason !== "string" || typeof value.at !== "number") {
    throw new TypeError(`not a dead-letter record: ${raw.slice(0, 200)}`);
  }
  return {
    item: value.item,
    reason: value.reason,
    queue: String(value.queue),
    consumer: String(value.consumer),
    attempt: typeof value.attempt === "number" ? value.attempt : null,
    at: value.at,
  };
}
