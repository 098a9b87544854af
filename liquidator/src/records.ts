/**
 * Every liquidation attempt leaves one record (DESIGN.md "Execution"): appended to the pipeline's
 * `liquidations` stream in Redis, logged, and counted in Prometheus. Amounts are base-unit integer
 * strings; values are uusd.
 */
import type { Logger } from "pino";
import { Counter, Histogram, type Registry } from "prom-client";
import type { PipelineKeys, RedisClient } from "@mlb/shared";

/** How an attempt ended. */
export type Outcome =
  /** Included and succeeded. */
  | "liquidated"
  /** Another liquidator liquidated the account first. */
  | "lost"
  /** No longer liquidatable when re-checked (prices or the owner moved). */
  | "healthy"
  /** Simulation or execution failed with the chain's error. */
  | "reverted"
  /** Liquidatable, but no liquidation clears the profit floor after swap costs and fees. */
  | "unprofitable"
  /** Everything but the broadcast (DRY_RUN=1). */
  | "dry_run"
  /** Not attempted: another executor holds the account, the kill switch is on, or the limit caps it to nothing. */
  | "skipped";

export interface AttemptRecord {
  product: string;
  account: string;
  signer: string | null;
  /** Height the health checker flagged it at, and when (epoch ms). */
  candidateHeight: number;
  detectedAtMs: number;
  /** When the executor claimed it, and when the tx was accepted by the node (null: not sent). */
  claimedAtMs: number;
  sentAtMs: number | null;
  inclusionHeight: number | null;
  txHash: string | null;
  outcome: Outcome;
  /** The chain's error text, or why it was skipped. */
  error: string | null;
  debtDenom: string | null;
  debtRepaid: string;
  collateralDenom: string | null;
  collateralReceived: string;
  /** Fee paid (gas denom base units), gas used and wanted. */
  fee: string;
  gasUsed: number;
  gasWanted: number;
  /** Expected profit (uusd) when sent; realised profit from the signer's balance changes (uusd), null when not sent. */
  expectedProfit: string;
  realizedProfit: string | null;
  /** Net change of the signer's balances per denom over the liquidation's transactions (fees included). */
  balanceChanges: Record<string, string>;
}

export class AttemptRecorder {
  readonly #redis: RedisClient;
  readonly #stream: string;
  readonly #logger: Logger;
  readonly #attempts: Counter<"product" | "outcome">;
  readonly #profit: Counter<"product">;
  readonly #fees: Counter<"product">;
  readonly #latency: Histogram<"product">;

  constructor(opts: { redis: RedisClient; keys: PipelineKeys; logger: Logger; registry: Registry }) {
    this.#redis = opts.redis;
    this.#stream = opts.keys.liquidations;
    this.#logger = opts.logger;
    const registers = [opts.registry];
    this.#attempts = new Counter({ name: "liquidator_attempts_total", help: "Liquidation attempts by outcome.", labelNames: ["product", "outcome"] as const, registers });
    this.#profit = new Counter({ name: "liquidator_realized_profit_uusd_total", help: "Realised profit of successful liquidations (uusd; losses count negative in the records, not here).", labelNames: ["product"] as const, registers });
    this.#fees = new Counter({ name: "liquidator_fees_paid_total", help: "Fees paid (gas denom base units).", labelNames: ["product"] as const, registers });
    this.#latency = new Histogram({
      name: "liquidator_detect_to_send_seconds",
      help: "From the health checker's detection to the node accepting the transaction.",
      labelNames: ["product"] as const,
      buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers,
    });
  }

  /** Reads the stream, oldest first (for operators, tests and benchmarks). */
  static async read(redis: RedisClient, keys: PipelineKeys): Promise<AttemptRecord[]> {
    const entries = (await redis.xrange(keys.liquidations, "-", "+")) as [string, string[]][];
    return entries.map(([, fields]) => JSON.parse(fields[1]!) as AttemptRecord);
  }

  async record(r: AttemptRecord): Promise<void> {
    await this.#redis.xadd(this.#stream, "MAXLEN", "~", 100_000, "*", "record", JSON.stringify(r));
    this.#attempts.inc({ product: r.product, outcome: r.outcome });
    if (r.fee !== "0") this.#fees.inc({ product: r.product }, Number(r.fee));
    if (r.outcome === "liquidated" && r.realizedProfit !== null && BigInt(r.realizedProfit) > 0n) this.#profit.inc({ product: r.product }, Number(r.realizedProfit));
    if (r.sentAtMs !== null) this.#latency.observe({ product: r.product }, (r.sentAtMs - r.detectedAtMs) / 1000);
    const level = r.outcome === "reverted" ? "warn" : "info";
    this.#logger[level]({ record: r }, `liquidation ${r.outcome}`);
  }
}
