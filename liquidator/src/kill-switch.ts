/**
 * The daily loss and fee limits. Realised losses (uusd) and fees (gas denom) are added to hourly
 * buckets of one Redis hash shared by every executor of the pipeline; the switch is on while the
 * last 24 buckets exceed a limit, and turns itself off as old buckets age out.
 */
import type { PipelineKeys, RedisClient } from "@mlb/shared";

const HOUR_MS = 3_600_000;

export class KillSwitch {
  readonly #redis: RedisClient;
  readonly #key: string;
  readonly #maxLoss: bigint;
  readonly #maxFees: bigint;
  #reading: { since: number; verdict: Promise<string | null> } | undefined;

  constructor(opts: { redis: RedisClient; keys: PipelineKeys; maxLoss: bigint; maxFees: bigint }) {
    this.#redis = opts.redis;
    this.#key = opts.keys.spend;
    this.#maxLoss = opts.maxLoss;
    this.#maxFees = opts.maxFees;
  }

  /** Adds a realised loss (uusd, ≥ 0) and a fee (gas denom) to the current hour. */
  async add(loss: bigint, fee: bigint, nowMs = Date.now()): Promise<void> {
    const hour = Math.floor(nowMs / HOUR_MS);
    const m = this.#redis.multi();
    if (loss > 0n) m.hincrby(this.#key, `loss:${hour}`, loss.toString());
    if (fee > 0n) m.hincrby(this.#key, `fee:${hour}`, fee.toString());
    await m.pexpire(this.#key, 2 * 24 * HOUR_MS).exec();
  }

  /** Why sending must stop now, or null. Callers asking while a read is under way share it (a burst asks once per candidate). */
  tripped(nowMs = Date.now()): Promise<string | null> {
    const since = Math.floor(nowMs / HOUR_MS) - 23;
    if (this.#reading?.since === since) return this.#reading.verdict;
    const reading = { since, verdict: this.#read(since) };
    this.#reading = reading;
    void reading.verdict.finally(() => {
      if (this.#reading === reading) this.#reading = undefined;
    }).catch(() => undefined);
    return reading.verdict;
  }

  async #read(since: number): Promise<string | null> {
    let loss = 0n;
    let fees = 0n;
    for (const [field, value] of Object.entries(await this.#redis.hgetall(this.#key))) {
      const [kind, hour] = field.split(":");
      if (Number(hour) < since) continue;
      if (kind === "loss") loss += BigInt(value);
      else if (kind === "fee") fees += BigInt(value);
    }
    if (loss > this.#maxLoss) return `kill switch: ${loss} uusd lost in 24 h is above DAILY_LOSS_LIMIT_VALUE ${this.#maxLoss}`;
    if (fees > this.#maxFees) return `kill switch: ${fees} paid in fees in 24 h is above DAILY_GAS_LIMIT ${this.#maxFees}`;
    return null;
  }
}
