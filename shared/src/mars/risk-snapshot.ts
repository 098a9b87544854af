/**
 * The per-block table the health loops read: for every denom with asset params and a price, one
 * record of flat bigint atomics (price, LTVs, accrued market indexes), so evaluating a position costs
 * one `Map` lookup per denom and no parsing (spec §2.6a step 1: load params, markets, prices once).
 */
import { MissingDenomDataError } from "./errors.js";
import { marketSnapshotAt } from "./interest.js";
import type { AssetRisk, MarketSnapshot, MarketState, PriceTable } from "./types.js";

/** Everything the math needs about one denom at one block, as atomics (spec §2.4, §6.4). */
export interface DenomFactors {
  readonly denom: string;
  /** Oracle price (the kind the snapshot was built with), uusd per base unit, Decimal atomics (spec §5). */
  readonly price: bigint;
  /** The parsed asset params (LB curve, fee, close factor) for the liquidation math. */
  readonly risk: AssetRisk;
  /** Red Bank max LTV (spec §2.4). */
  readonly maxLtv: bigint;
  /** Credit-manager max LTV: 0 when `credit_manager.whitelisted` is false (spec §6.4). */
  readonly cmMaxLtv: bigint;
  /** Liquidation threshold (spec §2.4, §6.4). */
  readonly liquidationThreshold: bigint;
  /** Whether a Red Bank market exists; the index fields are 0 when it does not. */
  readonly hasMarket: boolean;
  /** Liquidity index accrued to the snapshot time (spec §2.3). */
  readonly liquidityIndex: bigint;
  /** Borrow index accrued to the snapshot time (spec §2.3). */
  readonly borrowIndex: bigint;
}

/** One block's prices, params and market indexes (spec §2.6a step 1); build with `createRiskSnapshot`. */
export interface RiskSnapshot {
  /** Block time (unix seconds) the market indexes were accrued to. */
  readonly timeSec: number;
  /** Denoms with both asset params and a price. */
  readonly factors: ReadonlyMap<string, DenomFactors>;
  readonly prices: PriceTable;
  readonly risks: ReadonlyMap<string, AssetRisk>;
  readonly markets: ReadonlyMap<string, MarketSnapshot>;
}

/** Inputs of `createRiskSnapshot`: use `liquidation` prices for liquidation health (spec §2.4, §5). */
export interface RiskSnapshotInput {
  /** Block time in unix seconds; market indexes are accrued to it (spec §2.3). */
  readonly timeSec: number;
  readonly prices: PriceTable;
  readonly risks: Iterable<AssetRisk>;
  /** Red Bank markets; omit for a credit-manager-only snapshot. */
  readonly markets?: Iterable<MarketState>;
}

/**
 * Builds the per-block table (spec §2.3 accrual, §2.4/§6.4 factors). Call once per block; the result
 * is immutable and shared by every evaluation of that block.
 */
export function createRiskSnapshot(input: RiskSnapshotInput): RiskSnapshot {
  if (!Number.isSafeInteger(input.timeSec) || input.timeSec < 0) throw new RangeError(`timeSec ${input.timeSec} is not a unix time in whole seconds`);
  const markets = new Map<string, MarketSnapshot>();
  for (const m of input.markets ?? []) markets.set(m.denom, marketSnapshotAt(m, input.timeSec));
  const risks = new Map<string, AssetRisk>();
  for (const r of input.risks) risks.set(r.denom, r);
  const factors = new Map<string, DenomFactors>();
  for (const [denom, risk] of risks) {
    const price = input.prices.get(denom);
    if (price === undefined) continue;
    const market = markets.get(denom);
    factors.set(denom, {
      denom,
      price,
      risk,
      maxLtv: risk.maxLtv,
      cmMaxLtv: risk.whitelisted ? risk.maxLtv : 0n,
      liquidationThreshold: risk.liquidationThreshold,
      hasMarket: market !== undefined,
      liquidityIndex: market?.liquidityIndex ?? 0n,
      borrowIndex: market?.borrowIndex ?? 0n,
    });
  }
  return { timeSec: input.timeSec, factors, prices: input.prices, risks, markets };
}

/**
 * Explains why `denom` cannot be evaluated: the first of market (when `needMarket`), params, price
 * that the snapshot lacks (spec §2.4 "Every denom touched must have a market, an asset_params entry
 * and a working price"). Only called on the error path.
 */
export function missingDenomData(snapshot: RiskSnapshot, denom: string, needMarket: boolean): MissingDenomDataError {
  if (needMarket && !snapshot.markets.has(denom)) return new MissingDenomDataError(denom, "market");
  if (!snapshot.risks.has(denom)) return new MissingDenomDataError(denom, "params");
  return new MissingDenomDataError(denom, "price");
}
