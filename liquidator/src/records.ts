/**
 * Every liquidation attempt leaves one record (DESIGN.md "Execution"): appended to the pipeline's
 * `liquidations` stream in Redis, logged, and counted in Prometheus. Amounts are base-unit integer
 * strings; values are uusd.
 */
import type { Logger } from "pino";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
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
  /** When the executor claimed it, and when the tx bytes were broadcast (the node accepted them; null: not sent). */
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
  /** Fee paid (gas denom base units; its share when the transaction held several liquidations), and the transaction's gas used and wanted. */
  fee: string;
  gasUsed: number;
  gasWanted: number;
  /** Liquidations in its transaction (MAX_LIQUIDATIONS_PER_TX); 0 when not sent. */
  txLiquidations: number;
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
  readonly #loss: Counter<"product">;
  readonly #fees: Counter<"product">;
  readonly #latency: Histogram<"product">;
  readonly #queueWait: Histogram<"product">;
  readonly #killSwitch: Gauge;

  constructor(opts: { redis: RedisClient; keys: PipelineKeys; logger: Logger; registry: Registry }) {
    this.#redis = opts.redis;
    this.#stream = opts.keys.liquidations;
    this.#logger = opts.logger;
    const registers = [opts.registry];
    const buckets = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
    this.#attempts = new Counter({ name: "liquidator_attempts_total", help: "Liquidation attempts (one per candidate handled) by outcome: liquidated, lost, healthy, reverted, unprofitable, dry_run, skipped.", labelNames: ["product", "outcome"] as const, registers });
    this.#profit = new Counter({ name: "liquidator_realized_profit_uusd_total", help: "Realised profit of successful liquidations in uusd, fees and the sale of seized collateral included (attempts that lost money count in liquidator_realized_loss_uusd_total).", labelNames: ["product"] as const, registers });
    this.#loss = new Counter({ name: "liquidator_realized_loss_uusd_total", help: "Realised losses in uusd (attempts whose signer balances fell in value, e.g. a reverted transaction's fee): what the DAILY_LOSS_LIMIT_VALUE kill switch adds up.", labelNames: ["product"] as const, registers });
    this.#fees = new Counter({ name: "liquidator_fees_paid_total", help: "Fees paid by liquidation and sale transactions, in gas denom base units (uosmo, untrn): what the DAILY_GAS_LIMIT kill switch adds up.", labelNames: ["product"] as const, registers });
    this.#latency = new Histogram({
      name: "liquidator_detect_to_send_seconds",
      help: "From the health checker flagging the position (it began evaluating the shard at the candidate's block, after reading that block's market state) to the broadcast of the liquidation (its bytes sent with broadcast_tx_sync, which the node accepted); sent attempts only.",
      labelNames: ["product"] as const,
      buckets,
      registers,
    });
    this.#queueWait = new Histogram({
      name: "liquidator_detect_to_claim_seconds",
      help: "From the health checker flagging the position to an executor claiming the candidate from the liquidate queue; every attempt.",
      labelNames: ["product"] as const,
      buckets,
      registers,
    });
    this.#killSwitch = new Gauge({ name: "liquidator_kill_switch_tripped", help: "1 while the daily loss or fee limit stops sending (as of the last candidate handled), else 0.", registers });
  }

  /** Reads the stream, oldest first (for operators, tests and benchmarks). */
  static async read(redis: RedisClient, keys: PipelineKeys): Promise<AttemptRecord[]> {
    const entries = (await redis.xrange(keys.liquidations, "-", "+")) as [string, string[]][];
    return entries.map(([, fields]) => JSON.parse(fields[1]!) as AttemptRecord);
  }

  /** Whether the kill switch stopped sending when the executor last asked (null: not tripped). */
  killSwitch(reason: string | null): void {
    this.#killSwitch.set(reason === null ? 0 : 1);
  }

  async record(r: AttemptRecord): Promise<void> {
    await this.#redis.xadd(this.#stream, "MAXLEN", "~", 100_000, "*", "record", JSON.stringify(r));
    this.#attempts.inc({ product: r.product, outcome: r.outcome });
    if (r.fee !== "0") this.#fees.inc({ product: r.product }, Number(r.fee));
    if (r.outcome === "liquidated" && r.realizedProfit !== null && BigInt(r.realizedProfit) > 0n) this.#profit.inc({ product: r.product }, Number(r.realizedProfit));
    if (r.realizedProfit !== null && BigInt(r.realizedProfit) < 0n) this.#loss.inc({ product: r.product }, -Number(r.realizedProfit));
    if (r.sentAtMs !== null) this.#latency.observe({ product: r.product }, (r.sentAtMs - r.detectedAtMs) / 1000);
    this.#queueWait.observe({ product: r.product }, Math.max(0, r.claimedAtMs - r.detectedAtMs) / 1000);
    const level = r.outcome === "reverted" ? "warn" : "info";
    this.#logger[level]({ record: r }, `liquidation ${r.outcome}`);
  }
}
