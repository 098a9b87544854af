/**
 * The work items that flow between the services, per pipeline (chain × product), and their queue
 * names. The manager produces the per-block items; the health checker produces candidates.
 */
import { z } from "zod";

/** Queue names inside a pipeline's hash tag. */
export const QUEUES = {
  /** Collector work: a block to follow, or a shard to (re)scan. */
  collect: "collect",
  /** Health-checker work of one shard: "evaluate shard k at height h". */
  health: (shard: number) => `health:${shard}`,
  /** Liquidation candidates for the liquidator's executor. */
  liquidate: "liquidate",
} as const;

/** Collector work: follow block `height` (refresh the accounts its transactions touched) or scan shards from raw state. */
export const collectWorkSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("block") }),
  z.object({ kind: z.literal("scan"), shard: z.number().int().min(0).max(31) }),
]);
export type CollectWork = z.infer<typeof collectWorkSchema>;

/** Health-checker work: evaluate one shard at the item's height. */
export const healthWorkSchema = z.object({ shard: z.number().int().min(0).max(31) });
export type HealthWork = z.infer<typeof healthWorkSchema>;

/**
 * A liquidatable position as the health checker saw it: the best (debt, collateral) pair by its
 * estimate and the figures it ranked by. Amounts are base-unit integers, values uusd, factors
 * decimals, all as strings. The liquidator re-reads and recomputes before acting.
 */
export const candidateSchema = z.object({
  account: z.string().min(1),
  healthFactor: z.string(),
  totalDebtValue: z.string().regex(/^\d+$/),
  debtDenom: z.string().nullable(),
  collateralDenom: z.string().nullable(),
  /** Credit manager `request` kind of the collateral; null for Red Bank. */
  request: z.enum(["deposit", "lend", "staked_astro_lp"]).nullable(),
  debtToRepay: z.string().regex(/^\d+$/),
  expectedProfit: z.string().regex(/^-?\d+$/),
  /** When the health checker flagged it (epoch ms). */
  detectedAtMs: z.number().int(),
});
export type Candidate = z.infer<typeof candidateSchema>;
