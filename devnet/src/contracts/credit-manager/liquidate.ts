import { ContractError, response, type Response } from "../host.js";
import { dec, decStr, mulFloor } from "../../math/decimal.js";
import type { BigCoin } from "./common/coin.js";
import { coinString, debugCoin, debugString } from "./common/rust-fmt.js";
import type { LiquidateRequest } from "./actions.js";
import { assetParams, healthValues, lentAmount, price, redBankMsg, targetHealthFactor, type HealthValuesJson } from "./clients.js";
import type { CmEnv, CmQueryEnv } from "./env.js";
import { cb } from "./callback-msgs.js";
import { currentDebtForDenom } from "./borrow-repay.js";
import { calculateLiquidationAmounts } from "../red-bank/liquidation-math.js";
import type { Health } from "../red-bank/health.js";
import type { AssetParamsJson } from "../params-asset.js";
import { COIN_BALANCES, RED_BANK, REWARDS_COLLECTOR, decrementCoinBalance, incrementCoinBalance, load } from "./state.js";

/**
 * Credit-account liquidation, spec §6.5 steps 1–5 with `deposit` and `lend` requests, both
 * variants. The liquidator's debt coin must already sit in its balance (borrow or deposit
 * earlier in the action list); the excess `debt_coin.amount − repay` stays there.
 * The amounts come from `calculateLiquidationAmounts` (red-bank/liquidation-math.ts), as the
 * real Red Bank and credit manager share the `mars-liquidation` package. [NTRN] perps are not
 * modelled, so the perps PnL terms (CR, perps bonus, bad-debt net value) are always zero.
 */

/** Fails with `SelfLiquidation` when an account liquidates itself. */
export function assertNotSelfLiquidation(liquidator: string, liquidatee: string): void {
  if (liquidator === liquidatee) throw new ContractError("Cannot request liquidation on own credit account");
}

/** The liquidatee's health at liquidation prices; `NotLiquidatable` unless liquidatable (§6.5 step 1). */
export function checkLiquidatable(env: CmQueryEnv, liquidatee: string): HealthValuesJson {
  const h = healthValues(env, liquidatee, "liquidation", env.neutron);
  if (!h.liquidatable) {
    throw new ContractError(
      `${debugString(liquidatee)} is not a liquidatable credit account. Health factor: ${debugString(h.liquidation_health_factor ?? "None")}.`,
    );
  }
  return h;
}

/** Liquidate callback. `prevHealth` is the [NTRN] health taken at dispatch. */
export function liquidate(env: CmEnv, liquidator: string, liquidatee: string, debtCoin: BigCoin, request: LiquidateRequest, prevHealth?: HealthValuesJson): Response {
  assertNotSelfLiquidation(liquidator, liquidatee);
  const denom = request.denom;
  let available: bigint;
  if (request.type === "deposit") {
    const stored = COIN_BALANCES.load(env.store, liquidatee, denom);
    if (stored === undefined && !env.neutron) throw new ContractError(`${denom} is not an available coin to request`);
    available = BigInt(stored ?? "0");
  } else {
    available = lentAmount(env, liquidatee, denom);
    if (available === 0n && !env.neutron) throw new ContractError("Nothing lent to reclaim");
  }
  const r = calculateLiquidation(env, liquidatee, debtCoin, denom, available, prevHealth);
  const res = response();
  const debt = { denom: debtCoin.denom, amount: r.repay };
  if (!env.neutron || r.repay > 0n) {
    // repay_debt: the liquidator's coins pay the liquidatee's debt through a repay callback.
    decrementCoinBalance(env.store, liquidator, debt);
    incrementCoinBalance(env.store, liquidatee, debt);
    res.execute(env.self, { callback: cb.repay(liquidatee, { denom: debt.denom, amount: debt.amount }) });
  }
  const seized = { denom, amount: r.seize };
  const toLiquidator = { denom, amount: r.toLiquidator };
  const fee = { denom, amount: r.seize - r.toLiquidator };
  const moveCollateral = !env.neutron || r.seize > 0n;
  if (moveCollateral) {
    if (request.type === "deposit") decrementCoinBalance(env.store, liquidatee, seized);
    else res.execute(load(env.store, RED_BANK).addr, redBankMsg.reclaim(seized, liquidatee, true));
    incrementCoinBalance(env.store, liquidator, toLiquidator);
    if (!env.neutron || fee.amount > 0n) {
      const rcAccount = load(env.store, REWARDS_COLLECTOR).account_id;
      incrementCoinBalance(env.store, rcAccount, fee);
      if (env.neutron) res.attr("rewards_collector", rcAccount).attr("rewards_collector_fee", coinString(fee));
    }
  }
  res
    .attr("action", request.type === "deposit" ? "liquidate_deposit" : "liquidate_lend")
    .attr("account_id", liquidator)
    .attr("liquidatee_account_id", liquidatee)
    .attr("coin_debt_repaid", coinString(debt))
    .attr("coin_liquidated", coinString(seized))
    .attr("protocol_fee_coin", coinString(moveCollateral ? fee : { denom, amount: 0n }));
  if (env.neutron) res.attr("debt_price", decStr(r.debtPrice)).attr("collateral_price", decStr(r.collateralPrice));
  return res;
}

interface LiquidationResult {
  repay: bigint;
  seize: bigint;
  toLiquidator: bigint;
  debtPrice: bigint;
  collateralPrice: bigint;
}

/**
 * `calculate_liquidation` (§6.5 steps 1–4), with the contracts' order of checks: [OSMO] health
 * (queried now), debt, THF, request params, prices; [NTRN] health from dispatch, prices, the
 * zero-balance cases, debt, request and debt params (the debt's `close_factor`).
 */
function calculateLiquidation(env: CmQueryEnv, liquidatee: string, debtCoin: BigCoin, requestDenom: string, available: bigint, prevHealth?: HealthValuesJson): LiquidationResult {
  let health: Health;
  let debtAmount: bigint;
  let cap: { targetHealthFactor: bigint } | { closeFactor: bigint };
  let requestParams: AssetParamsJson;
  let debtPrice: bigint;
  let collateralPrice: bigint;
  if (!env.neutron) {
    health = healthData(checkLiquidatable(env, liquidatee));
    debtAmount = currentDebtForDenom(env, liquidatee, debtCoin.denom).amount;
    cap = { targetHealthFactor: targetHealthFactor(env) };
    requestParams = requireParams(env, requestDenom);
    debtPrice = price(env, debtCoin.denom, "liquidation");
    collateralPrice = price(env, requestDenom, "liquidation");
  } else {
    health = healthData(prevHealth ?? checkLiquidatable(env, liquidatee));
    debtPrice = price(env, debtCoin.denom, "liquidation");
    collateralPrice = price(env, requestDenom, "liquidation");
    // Bad debt with nothing left to seize: the liquidation succeeds with zero amounts.
    if (available === 0n && health.totalCollateralValue < health.totalDebtValue) return { repay: 0n, seize: 0n, toLiquidator: 0n, debtPrice, collateralPrice };
    if (available === 0n) throw new ContractError(`${requestDenom} is not an available coin to request`);
    debtAmount = currentDebtForDenom(env, liquidatee, debtCoin.denom).amount;
    requestParams = requireParams(env, requestDenom);
    cap = { closeFactor: dec(requireParams(env, debtCoin.denom).close_factor ?? "1") };
  }
  const a = calculateLiquidationAmounts({ collateralAmount: available, collateralPrice, collateralParams: requestParams, debtAmount, sent: debtCoin.amount, debtPrice, health, cap });
  return assertProfitable(env, debtCoin.denom, requestDenom, { repay: a.debtToRepay, seize: a.collateralToLiquidate, toLiquidator: a.collateralToLiquidator, debtPrice, collateralPrice });
}

function requireParams(env: CmQueryEnv, denom: string): AssetParamsJson {
  const p = assetParams(env, denom);
  if (!p) throw new ContractError(`${denom} asset params not found`);
  return p;
}

/** `health_values` as the liquidation math's `Health`. */
function healthData(h: HealthValuesJson): Health {
  if (h.liquidation_health_factor === null) throw new ContractError("Generic error: Liquidation health factor not available");
  return {
    totalCollateralValue: BigInt(h.total_collateral_value),
    totalDebtValue: BigInt(h.total_debt_value),
    maxLtvAdjustedCollateral: BigInt(h.max_ltv_adjusted_collateral),
    ltAdjustedCollateral: BigInt(h.liquidation_threshold_adjusted_collateral),
    maxLtvHealthFactor: h.max_ltv_health_factor === null ? null : dec(h.max_ltv_health_factor),
    liquidationHealthFactor: dec(h.liquidation_health_factor),
  };
}

/** §6.5 step 4: `floor(repay·pd) < floor(to_liquidator·pc)` else `LiquidationNotProfitable`. */
function assertProfitable(env: CmQueryEnv, debtDenom: string, requestDenom: string, r: LiquidationResult): LiquidationResult {
  const debtValue = mulFloor(r.repay, price(env, debtDenom, "liquidation"));
  const requestValue = mulFloor(r.toLiquidator, price(env, requestDenom, "liquidation"));
  if (debtValue >= requestValue) {
    const debtCoin = debugCoin({ denom: debtDenom, amount: r.repay });
    const requestCoin = debugCoin({ denom: requestDenom, amount: r.toLiquidator });
    throw new ContractError(`Paying down ${debtCoin} for ${requestCoin} does not result in a profit for the liquidator`);
  }
  return r;
}
