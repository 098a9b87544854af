/**
 * Red Bank interest indexes and scaled ↔ underlying conversions (spec §2.3,
 * `C:packages/interest-rate/src/lib.rs`). Collateral rounds down, debt rounds up, so rounding favours
 * the protocol; amounts are base units, indexes and rates Decimal atomics, times unix seconds.
 */
import { DECIMAL_ONE, decMul, divCeil, divFloor } from "./decimal.js";
import { MarsMathError } from "./errors.js";
import type { MarketSnapshot, MarketState } from "./types.js";

/** Precision factor applied before dividing by an index (spec §2.3 `SCALING_FACTOR`). */
export const SCALING_FACTOR = 1_000_000n;

/** Seconds in the contracts' interest year (spec §2.3 `SECONDS_PER_YEAR`). */
export const SECONDS_PER_YEAR = 31_536_000n;

/** floor(floor(x/1e18)/1e6) = floor(x/1e24): the two truncating divisions of collateral descaling in one. */
const INDEX_TIMES_SCALING = DECIMAL_ONE * SCALING_FACTOR;

/**
 * Linear accrual `index · (1 + rate · Δt/31_536_000)` with the contract's exact rounding (spec §2.3):
 * `Δt/year` is a Decimal (floor), times `rate` (Decimal mul, floor), plus 1, times `index` (floor).
 */
export function accrueIndex(index: bigint, rate: bigint, elapsedSec: bigint): bigint {
  const yearFraction = (elapsedSec * DECIMAL_ONE) / SECONDS_PER_YEAR;
  return decMul(index, DECIMAL_ONE + decMul(rate, yearFraction));
}

/**
 * Borrow index at `timeSec` (spec §2.3 `get_updated_borrow_index`): accrued only when time has passed
 * and the borrow rate is not zero; an earlier `timeSec` returns the stored index, as the contract does.
 */
export function updatedBorrowIndex(market: MarketState, timeSec: number): bigint {
  if (market.indexesLastUpdated < timeSec && market.borrowRate !== 0n) {
    return accrueIndex(market.borrowIndex, market.borrowRate, BigInt(timeSec - market.indexesLastUpdated));
  }
  return market.borrowIndex;
}

/**
 * Liquidity index at `timeSec` (spec §2.3 `get_updated_liquidity_index`): accrued only when time has
 * passed and the liquidity rate is not zero. A `timeSec` before the last update is an error, as on chain.
 */
export function updatedLiquidityIndex(market: MarketState, timeSec: number): bigint {
  if (market.indexesLastUpdated > timeSec) {
    throw new MarsMathError(`cannot accrue the liquidity index of ${market.denom} to time ${timeSec}: it was last updated at ${market.indexesLastUpdated}`);
  }
  if (market.indexesLastUpdated < timeSec && market.liquidityRate !== 0n) {
    return accrueIndex(market.liquidityIndex, market.liquidityRate, BigInt(timeSec - market.indexesLastUpdated));
  }
  return market.liquidityIndex;
}

/** Both indexes of a market accrued to one block time (spec §2.3); compute once per block per denom. */
export function marketSnapshotAt(market: MarketState, timeSec: number): MarketSnapshot {
  return {
    denom: market.denom,
    liquidityIndex: updatedLiquidityIndex(market, timeSec),
    borrowIndex: updatedBorrowIndex(market, timeSec),
    timeSec,
  };
}

/** Scaled collateral for an underlying amount: floor(amount·1e6 / liquidity_index) (spec §2.3). */
export function scaledLiquidityAmount(amount: bigint, liquidityIndex: bigint): bigint {
  return divFloor(amount * SCALING_FACTOR, liquidityIndex);
}

/** Underlying collateral for a scaled amount: floor(floor(scaled·liquidity_index)/1e6) (spec §2.3). */
export function underlyingLiquidityAmount(amountScaled: bigint, liquidityIndex: bigint): bigint {
  return (amountScaled * liquidityIndex) / INDEX_TIMES_SCALING;
}

/** Scaled debt for an underlying amount: ceil(amount·1e6 / borrow_index) (spec §2.3). */
export function scaledDebtAmount(amount: bigint, borrowIndex: bigint): bigint {
  return divCeil(amount * SCALING_FACTOR, borrowIndex);
}

/** Underlying debt for a scaled amount: ceil(floor(scaled·borrow_index)/1e6) (spec §2.3). */
export function underlyingDebtAmount(amountScaled: bigint, borrowIndex: bigint): bigint {
  return ((amountScaled * borrowIndex) / DECIMAL_ONE + SCALING_FACTOR - 1n) / SCALING_FACTOR;
}
