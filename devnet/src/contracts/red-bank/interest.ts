import { ONE, ceilDiv, decMul, decStr, min, mulFloor, ratio } from "../../math/decimal.js";
import type { KvStore } from "../../state/kv-store.js";
import { ContractError, type MarsVariant, type ResponseBuilder } from "../host.js";
import { borrowRate, liquidityRate } from "./interest-rate-model.js";
import { increaseCollateral, type Market } from "./state.js";

/**
 * Interest indexes and scaled amounts (spec §2.3, `C:packages/interest-rate/src/lib.rs`,
 * `C:contracts/red-bank/src/interest_rates.rs`). All Decimal math floors; collateral conversions
 * truncate, debt conversions ceil, so rounding always favours the protocol.
 */
export const SCALING_FACTOR = 1_000_000n;
export const SECONDS_PER_YEAR = 31_536_000n;

/** `index · (1 + rate · Δt/31_536_000)`: `Decimal::from_ratio(Δt, year)` floors, each product floors. */
export function appliedLinearInterestRate(index: bigint, rate: bigint, elapsed: bigint): bigint {
  const rateFactor = decMul(rate, ratio(elapsed, SECONDS_PER_YEAR));
  return decMul(index, ONE + rateFactor);
}

/** The borrow index at `now` without persisting it (`get_updated_borrow_index`). */
export function updatedBorrowIndex(m: Market, now: number): bigint {
  if (m.indexesLastUpdated < now && m.borrowRate !== 0n) {
    return appliedLinearInterestRate(m.borrowIndex, m.borrowRate, BigInt(now - m.indexesLastUpdated));
  }
  return m.borrowIndex;
}

/** The liquidity index at `now` without persisting it (`get_updated_liquidity_index`). */
export function updatedLiquidityIndex(m: Market, now: number): bigint {
  if (m.indexesLastUpdated > now) {
    throw new ContractError(
      `Generic error: Cannot compute updated liquidity index for a timestamp: ${now} smaller than last updated timestamp for market: ${m.indexesLastUpdated}`,
    );
  }
  if (m.indexesLastUpdated < now && m.liquidityRate !== 0n) {
    return appliedLinearInterestRate(m.liquidityIndex, m.liquidityRate, BigInt(now - m.indexesLastUpdated));
  }
  return m.liquidityIndex;
}

/** `compute_scaled_amount`: `amount·1e6 / index`, floored (`ceil = false`) or ceiled. */
export function computeScaled(amount: bigint, index: bigint, ceil: boolean): bigint {
  if (index === 0n) throw new ContractError("Cannot divide by zero");
  const n = amount * SCALING_FACTOR * ONE;
  return ceil ? ceilDiv(n, index) : n / index;
}

/** `compute_underlying_amount`: `floor(scaled·index) / 1e6`, floored or ceiled. */
export function computeUnderlying(scaled: bigint, index: bigint, ceil: boolean): bigint {
  const before = mulFloor(scaled, index);
  return ceil ? ceilDiv(before, SCALING_FACTOR) : before / SCALING_FACTOR;
}

/** Collateral: underlying → scaled at `now` (floor). */
export function scaledLiquidity(amount: bigint, m: Market, now: number): bigint {
  return computeScaled(amount, updatedLiquidityIndex(m, now), false);
}

/** Collateral: scaled → underlying at `now` (floor). */
export function underlyingLiquidity(scaled: bigint, m: Market, now: number): bigint {
  return computeUnderlying(scaled, updatedLiquidityIndex(m, now), false);
}

/** Debt: underlying → scaled at `now` (ceil). */
export function scaledDebt(amount: bigint, m: Market, now: number): bigint {
  return computeScaled(amount, updatedBorrowIndex(m, now), true);
}

/** Debt: scaled → underlying at `now` (ceil). */
export function underlyingDebt(scaled: bigint, m: Market, now: number): bigint {
  return computeUnderlying(scaled, updatedBorrowIndex(m, now), true);
}

/**
 * `apply_accumulated_interests`: moves the indexes to `now` (only when the rate is non-zero) and
 * mints the reserve share `floor(Δdebt_total · reserve_factor)` as collateral of the rewards
 * collector (scaled with the new liquidity index, floored), adding it to the market's collateral
 * total. Mutates `m` (not saved). [NTRN] adds attributes `rewards_collector`, `rewards_collector_fee`.
 */
export function applyAccumulatedInterests(
  store: KvStore, variant: MarsVariant, m: Market, now: number, rewardsCollector: string, res: ResponseBuilder,
): void {
  const previousBorrowIndex = m.borrowIndex;
  if (m.indexesLastUpdated < now) {
    const elapsed = BigInt(now - m.indexesLastUpdated);
    if (m.borrowRate !== 0n) m.borrowIndex = appliedLinearInterestRate(m.borrowIndex, m.borrowRate, elapsed);
    if (m.liquidityRate !== 0n) m.liquidityIndex = appliedLinearInterestRate(m.liquidityIndex, m.liquidityRate, elapsed);
    m.indexesLastUpdated = now;
  }
  const previousDebtTotal = computeUnderlying(m.debtTotalScaled, previousBorrowIndex, true);
  const newDebtTotal = computeUnderlying(m.debtTotalScaled, m.borrowIndex, true);
  const accrued = newDebtTotal > previousDebtTotal ? newDebtTotal - previousDebtTotal : 0n;
  const rewards = mulFloor(accrued, m.reserveFactor);
  if (rewards === 0n) return;
  const rewardsScaled = computeScaled(rewards, m.liquidityIndex, false);
  increaseCollateral(store, rewardsCollector, "", m.denom, rewardsScaled);
  m.collateralTotalScaled += rewardsScaled;
  if (variant === "neutron") res.attr("rewards_collector", rewardsCollector).attr("rewards_collector_fee", `${rewards}${m.denom}`);
}

/**
 * `update_interest_rates`: utilization `U = min(1, debt_total/collateral_total)` at `now`, then
 * the borrow and liquidity rates of the model; emits the `interests_updated` event. Mutates `m`.
 */
export function updateInterestRates(m: Market, now: number, res: ResponseBuilder): void {
  const u = utilizationRate(m, now);
  m.borrowRate = borrowRate(m.irm, u);
  m.liquidityRate = liquidityRate(m.borrowRate, u, m.reserveFactor);
  res.event("interests_updated", {
    denom: m.denom,
    borrow_index: decStr(m.borrowIndex),
    liquidity_index: decStr(m.liquidityIndex),
    borrow_rate: decStr(m.borrowRate),
    liquidity_rate: decStr(m.liquidityRate),
  });
}

/** `U = min(1, debt_total / collateral_total)` (0 with no collateral), underlying amounts at `now`. */
export function utilizationRate(m: Market, now: number): bigint {
  const collateral = underlyingLiquidity(m.collateralTotalScaled, m, now);
  const debt = underlyingDebt(m.debtTotalScaled, m, now);
  return collateral === 0n ? 0n : min(ratio(debt, collateral), ONE);
}
