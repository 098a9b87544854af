import { ONE, dec, decMul, divFloor, max, min, mulCeil, mulFloor, ratio } from "../../math/decimal.js";
import { ContractError } from "../host.js";
import type { AssetParamsJson } from "../params-asset.js";
import type { Health } from "./health.js";

/**
 * Liquidation amounts, spec §2.5 steps 3–6 (`C:packages/liquidation/src/liquidation.rs` [OSMO],
 * `CC:` same path [NTRN]). All values are integers (base units / uusd) or Decimal atomics.
 */

/** The inputs the Red Bank passes to `calculate_liquidation_amounts`. */
export interface LiquidationInput {
  /** User's collateral `C` (underlying at now). */
  collateralAmount: bigint;
  /** `pc`, liquidation kind. */
  collateralPrice: bigint;
  collateralParams: AssetParamsJson;
  /** User's debt `D` (underlying at now). */
  debtAmount: bigint;
  /** Coins sent by the liquidator. */
  sent: bigint;
  /** `pd`, liquidation kind. */
  debtPrice: bigint;
  /** Health with liquidation prices (must be liquidatable). */
  health: Health;
  /** [OSMO] dynamic close factor via the target health factor, or [NTRN] the debt's static close factor. */
  cap: { targetHealthFactor: bigint } | { closeFactor: bigint };
}

/** What the liquidation moves. */
export interface LiquidationAmounts {
  liquidationBonus: bigint;
  /** `repay`: debt repaid, in debt base units. */
  debtToRepay: bigint;
  /** `seize`: collateral taken from the user. */
  collateralToLiquidate: bigint;
  /** `to_liquidator = seize − fee`. */
  collateralToLiquidator: bigint;
  /** `fee`: protocol fee in collateral units, to the rewards collector. */
  protocolFee: bigint;
}

/**
 * Step 3: `CR = ratio(TCV, TDV)`, `cap = max(min(max(CR−1, 0), max_lb), min_lb)`,
 * `LB = min(starting_lb + slope·(1 − HF), cap)`.
 */
export function liquidationBonus(hf: bigint, totalCollateralValue: bigint, totalDebtValue: bigint, params: AssetParamsJson): bigint {
  const lb = params.liquidation_bonus;
  const cr = ratio(totalCollateralValue, totalDebtValue);
  const crAdjusted = cr > ONE ? cr - ONE : 0n;
  const maxLbAdjusted = max(min(crAdjusted, dec(lb.max_lb)), dec(lb.min_lb));
  const calculated = dec(lb.starting_lb) + decMul(dec(lb.slope), ONE - hf);
  return min(calculated, maxLbAdjusted);
}

/** Steps 3–6 of spec §2.5; throws the contract's error when exactly one of repay/seize is zero. */
export function calculateLiquidationAmounts(i: LiquidationInput): LiquidationAmounts {
  const hf = i.health.liquidationHealthFactor;
  if (hf === null) throw new ContractError("Generic error: Liquidation health factor not available");
  const userCollateralValue = mulFloor(i.collateralAmount, i.collateralPrice);
  const lb = liquidationBonus(hf, i.health.totalCollateralValue, i.health.totalDebtValue, i.collateralParams);
  const onePlusLb = ONE + lb;

  const candidates: bigint[] = [i.sent];
  if ("targetHealthFactor" in i.cap) {
    candidates.push(i.debtAmount);
    const thf = i.cap.targetHealthFactor;
    const k = decMul(dec(i.collateralParams.liquidation_threshold), onePlusLb);
    if (k < thf) {
      const numerator = mulFloor(i.health.totalDebtValue, thf) - i.health.ltAdjustedCollateral;
      const mdrValue = divFloor(numerator, thf - k);
      candidates.push(divFloor(mdrValue, i.debtPrice));
    }
  } else {
    candidates.push(mulFloor(i.debtAmount, i.cap.closeFactor));
  }
  candidates.push(divFloor(divFloor(userCollateralValue, onePlusLb), i.debtPrice));
  const debtToRepay = min(...candidates);

  const debtValue = mulFloor(debtToRepay, i.debtPrice);
  const collateralToLiquidate = divFloor(mulFloor(debtValue, onePlusLb), i.collateralPrice);
  if ((collateralToLiquidate !== 0n && debtToRepay === 0n) || (collateralToLiquidate === 0n && debtToRepay !== 0n)) {
    throw new ContractError(
      `Generic error: Can't process liquidation. Invalid collateral_amount_to_liquidate (${collateralToLiquidate}) and debt_amount_to_repay (${debtToRepay})`,
    );
  }
  const lbValue = mulFloor(debtValue, lb);
  const feeValue = mulCeil(lbValue, dec(i.collateralParams.protocol_liquidation_fee));
  const protocolFee = divFloor(feeValue, i.collateralPrice);
  return {
    liquidationBonus: lb,
    debtToRepay,
    collateralToLiquidate,
    collateralToLiquidator: collateralToLiquidate - protocolFee,
    protocolFee,
  };
}
