import type { RedisClient } from "../redis/connection.js";
import type { PipelineKeys } from "../redis/keys.js";

/**
 * The standard per-block counters behind the "all work processed within one block" promise
 * (DESIGN.md): accounts discovered, checked, found unhealthy, liquidated, work items missed
 * (dropped as stale) and lag (blocks behind the chain head). Other fields are allowed.
 */
export const STANDARD_BLOCK_COUNTERS = ["discovered", "checked", "unhealthy", "liquidated", "missed", "lag"] as const;

/** One of the standard counter names. */
export type StandardBlockCounter = (typeof STANDARD_BLOCK_COUNTERS)[number];

/** Default lifetime of a block's counter hash, in milliseconds (one hour). */
export const DEFAULT_BLOCK_STATS_TTL_MS = 3_600_000;

/** Options of `BlockCounters`. */
export interface BlockCountersOptions {
  redis: RedisClient;
  /** The pipeline's keys; counters live in `keys.blockStats(height)`. */
  keys: PipelineKeys;
  /** How long a block's hash lives after its last increment, in milliseconds. Default one hour. */
  ttlMs?: number | undefined;
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/**
 * Per-block counters in one hash per block height. Each increment refreshes the hash's expiry in
 * the same round trip (MULTI of blind writes), so old blocks disappear on their own.
 */
export class BlockCounters {
  private readonly redis: RedisClient;
  private readonly keys: PipelineKeys;
  private readonly ttlMs: number;

  constructor(opts: BlockCountersOptions) {
    this.redis = opts.redis;
    this.keys = opts.keys;
    this.ttlMs = opts.ttlMs ?? DEFAULT_BLOCK_STATS_TTL_MS;
    if (!Number.isSafeInteger(this.ttlMs) || this.ttlMs < 1) throw new RangeError(`block counters ttlMs must be an integer >= 1, got ${this.ttlMs}`);
  }

  /** Adds `by` (an integer, default 1) to `field` of block `height`; returns the new value. */
  async incr(height: number, field: StandardBlockCounter | (string & {}), by = 1): Promise<number> {
    return (await this.incrMany(height, { [field]: by }))[field] ?? 0;
  }

  /** Adds several counters of one block in one round trip; returns the new values by field. */
  async incrMany(height: number, deltas: Readonly<Record<string, number>>): Promise<Record<string, number>> {
    assertInteger(height, "block height");
    const key = this.keys.blockStats(height);
    const fields = Object.keys(deltas);
    for (const field of fields) assertInteger(deltas[field]!, `increment of ${field} at height ${height}`);
    const multi = this.redis.multi();
    for (const field of fields) multi.hincrby(key, field, deltas[field]!);
    multi.pexpire(key, this.ttlMs);
    const results = await multi.exec();
    if (results === null) throw new Error(`increment of block ${height} counters was aborted`);
    const out: Record<string, number> = {};
    fields.forEach((field, i) => {
      const [err, value] = results[i] ?? [new Error("missing MULTI reply"), null];
      if (err) throw err;
      out[field] = Number(value);
    });
    return out;
  }

  /** All counters of block `height` (empty when none were written or they expired). */
  async read(height: number): Promise<Record<string, number>> {
    assertInteger(height, "block height");
    const raw = await this.redis.hgetall(this.keys.blockStats(height));
    const out: Record<string, number> = {};
    for (const [field, value] of Object.entries(raw)) out[field] = Number(value);
    return out;
  }
}
