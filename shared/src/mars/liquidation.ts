/**
 * The liquidation amounts of spec §2.5 steps 3–6 for both deployments (`calculate_liquidation_amounts`
 * in `C:`/`CC:packages/liquidation/src/liquidation.rs`), plus the credit manager's profitability guard
 * (§6.5 step 4). Exact bigint arithmetic with the contracts' floor/ceil at every step; amounts in base
 * units, values in uusd, Decimals as atomics.
 */
import { DECIMAL_ONE, decMul, divFloor, mulCeil, mulFloor, ratio } from "./decimal.js";
import { InvalidLiquidationAmountsError, LiquidationNotProfitableError, MarsMathError, MissingDenomDataError, NotLiquidatableError } from "./errors.js";
import type { AssetRisk, LiquidationBonusParams, LiquidationHealth } from "./types.js";

/**
 * Which liquidation math the chain runs (spec §0): [OSMO] caps the repay with the target health
 * factor; [NTRN] with the debt asset's static `close_factor`, and a credit manager there may add a
 * perps bonus (`perps_liquidation_bonus_ratio`, §6.5 step 3; 0 or absent for Red Bank).
 */
export type LiquidationRules =
  | { readonly variant: "osmosis"; /** Params `target_health_factor`, Decimal atomics. */ readonly targetHealthFactor: bigint }
  | { readonly variant: "neutron"; /** CM `perps_liquidation_bonus_ratio`, Decimal atomics. */ readonly perpsLbRatio?: bigint };

/** One (debt, collateral) liquidation's inputs (spec §2.5 step 2; §6.5 steps 2–3). */
export interface LiquidationInput {
  /** C: the liquidatee's amount of the collateral (request) denom at block time. */
  readonly collateralAmount: bigint;
  /** pc: liquidation price of the collateral, Decimal atomics. */
  readonly collateralPrice: bigint;
  /** cp: the collateral's params (LT, LB curve, protocol fee). */
  readonly collateralRisk: AssetRisk;
  /** D: the liquidatee's debt in the debt denom at block time. */
  readonly debtAmount: bigint;
  /** The debt coin amount sent (Red Bank funds, or CM `debt_coin.amount`). */
  readonly debtSent: bigint;
  /** pd: liquidation price of the debt, Decimal atomics. */
  readonly debtPrice: bigint;
  /** The debt's params; [NTRN] reads its `closeFactor`. */
  readonly debtRisk: AssetRisk;
  /** The liquidatee's health with liquidation prices. */
  readonly health: LiquidationHealth;
}

/** The result of §2.5 steps 3–6 (and the refund of step 7). */
export interface LiquidationAmounts {
  /** LB, Decimal atomics (step 3). */
  readonly liquidationBonus: bigint;
  /** CR = ratio(TCV, TDV) ([NTRN] CM: with perps PnL), Decimal atomics (step 3). */
  readonly collateralizationRatio: bigint;
  /** MDR in debt base units, or null when uncapped ([OSMO] k ≥ THF) (step 4). */
  readonly maxDebtRepayable: bigint | null;
  /** by_coll: the debt the collateral can pay for (step 4). */
  readonly debtByCollateral: bigint;
  /** Debt repaid, base units of the debt denom (step 5). */
  readonly repay: bigint;
  /** floor(repay·pd), uusd (step 5). */
  readonly repayValue: bigint;
  /** Collateral taken from the liquidatee, base units (step 5; [NTRN] CM incl. perps bonus). */
  readonly seize: bigint;
  /** floor(repay_value·LB) ([NTRN] CM + perps bonus value), uusd (step 6). */
  readonly lbValue: bigint;
  /** ceil(lb_value·PLF), uusd (step 6). */
  readonly feeValue: bigint;
  /** Protocol fee in collateral base units (step 6). */
  readonly fee: bigint;
  /** seize − fee: what the liquidator receives (step 6). */
  readonly toLiquidator: bigint;
  /** sent − repay, returned to the sender by Red Bank (kept in the liquidator's account by the CM, §6.5 step 5). */
  readonly refund: bigint;
}

/**
 * Collateralization ratio of spec §2.5 step 3: `ratio(TCV + perps_profit, TDV + perps_loss)` (perps terms are
 * 0 except for a [NTRN] credit account). Throws when the debt side is 0.
 */
export function collateralizationRatio(health: LiquidationHealth): bigint {
  return ratio(health.totalCollateralValue + (health.perpsPnlProfit ?? 0n), health.totalDebtValue + (health.perpsPnlLoss ?? 0n));
}

/**
 * Liquidation bonus of spec §2.5 step 3: `min(starting_lb + slope·(1 − HF), max(min(max(CR − 1, 0), max_lb), min_lb))`
 * with Decimal mul flooring. Requires HF ≤ 1 (the contract only gets here when HF < 1).
 */
export function liquidationBonus(healthFactor: bigint, collateralization: bigint, lb: LiquidationBonusParams): bigint {
  if (healthFactor > DECIMAL_ONE) throw new NotLiquidatableError(healthFactor);
  const crExcess = collateralization > DECIMAL_ONE ? collateralization - DECIMAL_ONE : 0n;
  const cappedExcess = crExcess < lb.maxLb ? crExcess : lb.maxLb;
  const cap = cappedExcess > lb.minLb ? cappedExcess : lb.minLb;
  const curve = lb.startingLb + decMul(lb.slope, DECIMAL_ONE - healthFactor);
  return curve < cap ? curve : cap;
}

/** [OSMO] MDR of step 4, or null when `k = LT·(1+LB) ≥ THF` (the whole debt is repayable). */
function thfMaxDebtRepayable(input: LiquidationInput, lb: bigint, thf: bigint): bigint | null {
  const k = decMul(input.collateralRisk.liquidationThreshold, DECIMAL_ONE + lb);
  if (k >= thf) return null;
  const numerator = mulFloor(input.health.totalDebtValue, thf) - input.health.liquidationThresholdAdjustedCollateral;
  if (numerator < 0n) {
    throw new MarsMathError(`MDR numerator is negative: floor(THF·TDV) ${mulFloor(input.health.totalDebtValue, thf)} < LTADJ ${input.health.liquidationThresholdAdjustedCollateral}`);
  }
  return divFloor(divFloor(numerator, thf - k), input.debtPrice);
}

/**
 * §2.5 steps 3–6 for one (debt, collateral) pair under `rules`: LB, the repay cap (THF or close
 * factor), `repay = min(candidates)` ([OSMO] {D, sent, MDR?, by_coll}; [NTRN] {sent, MDR, by_coll}),
 * seize, protocol fee and the liquidator's share. Throws `NotLiquidatableError` unless HF < 1,
 * `InvalidLiquidationAmountsError` when exactly one of repay and seize is 0, and
 * `MissingDenomDataError` for a [NTRN] debt without `close_factor`.
 */
export function liquidationAmounts(input: LiquidationInput, rules: LiquidationRules): LiquidationAmounts {
  const hf = input.health.liquidationHealthFactor;
  if (hf === null || hf >= DECIMAL_ONE) throw new NotLiquidatableError(hf);
  const pc = input.collateralPrice;
  const pd = input.debtPrice;
  const cp = input.collateralRisk;
  const neutron = rules.variant === "neutron";
  const cr = neutron ? collateralizationRatio(input.health) : ratio(input.health.totalCollateralValue, input.health.totalDebtValue);
  const lb = liquidationBonus(hf, cr, cp.liquidationBonus);
  const onePlusLb = DECIMAL_ONE + lb;

  let mdr: bigint | null;
  if (rules.variant === "osmosis") {
    mdr = thfMaxDebtRepayable(input, lb, rules.targetHealthFactor);
  } else {
    const closeFactor = input.debtRisk.closeFactor;
    if (closeFactor === null) throw new MissingDenomDataError(input.debtRisk.denom, "close_factor");
    mdr = mulFloor(input.debtAmount, closeFactor);
  }
  const byColl = divFloor(divFloor(mulFloor(input.collateralAmount, pc), onePlusLb), pd);

  let repay = input.debtSent < byColl ? input.debtSent : byColl;
  if (mdr !== null && mdr < repay) repay = mdr;
  if (!neutron && input.debtAmount < repay) repay = input.debtAmount;

  const repayValue = mulFloor(repay, pd);
  let seize = divFloor(mulFloor(repayValue, onePlusLb), pc);
  if ((seize !== 0n) !== (repay !== 0n)) throw new InvalidLiquidationAmountsError(repay, seize);

  let lbValue = mulFloor(repayValue, lb);
  if (neutron) {
    const perpsLoss = input.health.perpsPnlLoss ?? 0n;
    const perpsRatio = rules.perpsLbRatio ?? 0n;
    if (perpsLoss !== 0n && perpsRatio !== 0n) {
      const extra = divFloor(mulFloor(perpsLoss, decMul(perpsRatio, lb)), pc);
      const before = seize;
      seize = before + extra < input.collateralAmount ? before + extra : input.collateralAmount;
      const added = seize > before ? seize - before : 0n;
      lbValue += mulFloor(added, pc);
    }
  }
  const feeValue = mulCeil(lbValue, cp.protocolLiquidationFee);
  const fee = divFloor(feeValue, pc);
  if (fee > seize) throw new MarsMathError(`protocol fee ${fee} exceeds seized collateral ${seize} of ${cp.denom}`);
  return {
    liquidationBonus: lb,
    collateralizationRatio: cr,
    maxDebtRepayable: mdr,
    debtByCollateral: byColl,
    repay,
    repayValue,
    seize,
    lbValue,
    feeValue,
    fee,
    toLiquidator: seize - fee,
    refund: input.debtSent - repay,
  };
}

/**
 * The credit manager's guard (spec §6.5 step 4): true iff `floor(repay·pd) < floor(to_liquidator·pc)`.
 * Red Bank has no such guard.
 */
export function isLiquidationProfitable(amounts: LiquidationAmounts, debtPrice: bigint, collateralPrice: bigint): boolean {
  return mulFloor(amounts.repay, debtPrice) < mulFloor(amounts.toLiquidator, collateralPrice);
}

/** Throws `LiquidationNotProfitableError` where the credit manager would (spec §6.5 step 4). */
export function assertLiquidationProfitable(debtDenom: string, requestDenom: string, amounts: LiquidationAmounts, debtPrice: bigint, collateralPrice: bigint): void {
  const debtValue = mulFloor(amounts.repay, debtPrice);
  const requestValue = mulFloor(amounts.toLiquidator, collateralPrice);
  if (debtValue >= requestValue) throw new LiquidationNotProfitableError(debtDenom, requestDenom, debtValue, requestValue);
}

/**
 * The amount to send for a planned `repay`: `repay + ceil(repay·bufferBps/10_000)` (spec §2.6a step 4:
 * indexes and prices move between sizing and execution; Red Bank refunds the excess).
 */
export function sendAmountWithBuffer(repay: bigint, bufferBps: number): bigint {
  if (!Number.isSafeInteger(bufferBps) || bufferBps < 0) throw new RangeError(`bufferBps ${bufferBps} must be a non-negative whole number of basis points`);
  return repay + (repay * BigInt(bufferBps) + 9_999n) / 10_000n;
}
