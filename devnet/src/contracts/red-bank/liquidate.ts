import { dec, decStr } from "../../math/decimal.js";
import { ContractError, response, type ExecuteContext, type MarsVariant, type Response } from "../host.js";
import { optString, reqString, type Fields } from "../mars-core/msg-fields.js";
import { addrValidate, oneCoin, queryContract } from "../mars-core/querier.js";
import { redBankAddresses } from "./env.js";
import { computeHealth, contractSources, isLiquidatable, queryAssetParams, userPositions } from "./health.js";
import { applyAccumulatedInterests, scaledDebt, scaledLiquidity, underlyingDebt, underlyingLiquidity, updateInterestRates } from "./interest.js";
import { calculateLiquidationAmounts } from "./liquidation-math.js";
import { checkedSub, decreaseCollateral, decreaseDebt, increaseCollateral, loadCollateral, loadDebt, loadMarket, saveMarket } from "./state.js";

/**
 * `{"liquidate":{"user","collateral_denom","recipient"}}` with one coin of the debt denom, exactly
 * as spec §2.5 steps 1–9 (`C:contracts/red-bank/src/liquidate.rs`, [NTRN] `CC:` same path):
 * checks in the contract's order, health with liquidation prices, amounts of
 * `liquidation-math.ts`, collateral shares moved from the user to the recipient (an enabled
 * deposit) and the protocol fee to the rewards collector (collateral market totals unchanged),
 * the user's debt reduced, the debt market touched, the excess refunded to the sender.
 */

const MSG = "mars_types::red_bank::msg::ExecuteMsg";

/** The liquidate handler. */
export function liquidate(ctx: ExecuteContext, variantName: MarsVariant, m: Fields): Response {
  const user = addrValidate(ctx, reqString(MSG, m, "user"));
  const sentCoin = oneCoin(ctx);
  const collateralDenom = reqString(MSG, m, "collateral_denom");
  const recipientArg = optString(MSG, m, "recipient");
  const debtDenom = sentCoin.denom;
  const now = ctx.block.time;
  const recipient = recipientArg === null ? ctx.sender : addrValidate(ctx, recipientArg);
  const addrs = redBankAddresses(ctx, ["oracle", "rewards_collector", "params", "credit_manager"]);

  // 1. Validation, in the contract's order.
  if (ctx.sender === user) throw new ContractError("User cannot issue liquidation of own account");
  if (user === addrs.credit_manager) throw new ContractError("Cannot liquidate credit manager (use credit-manager contract liquidate function)");
  const collateral = loadCollateral(ctx.store, user, "", collateralDenom);
  if (!collateral) throw new ContractError("User has no balance in specified collateral asset to be liquidated");
  if (!collateral.enabled) throw new ContractError(`User can't be liquidated for asset "${collateralDenom}" not being used as collateral`);
  const debt = loadDebt(ctx.store, user, debtDenom);
  if (!debt) throw new ContractError("User has no outstanding debt in the specified debt asset and thus cannot be liquidated");
  const collateralMarket = loadMarket(ctx.store, collateralDenom);

  // 2. Health with liquidation prices.
  const positions = userPositions(ctx.store, user, "", now, contractSources(ctx, addrs.oracle, addrs.params), true);
  const health = computeHealth(positions.values());
  if (!isLiquidatable(health)) throw new ContractError("User's health factor is not less than 1 and thus cannot be liquidated");
  const debtMarket = debtDenom !== collateralDenom ? loadMarket(ctx.store, debtDenom) : { ...collateralMarket };

  // 3. Amounts.
  const collateralPrice = positions.get(collateralDenom)?.price;
  if (collateralPrice === undefined) throw new ContractError("User has no balance in specified collateral asset to be liquidated");
  const debtPrice = positions.get(debtDenom)?.price;
  if (debtPrice === undefined) throw new ContractError("User has no outstanding debt in the specified debt asset and thus cannot be liquidated");
  const userDebtAmount = underlyingDebt(debt.amountScaled, debtMarket, now);
  const collateralParams = queryAssetParams(ctx, addrs.params, collateralDenom);
  const cap = variantName === "osmosis"
    ? { targetHealthFactor: dec(queryContract<string>(ctx, addrs.params, { target_health_factor: {} })) }
    : { closeFactor: dec(queryAssetParams(ctx, addrs.params, debtDenom).close_factor ?? "0") };
  const userCollateralAmount = underlyingLiquidity(collateral.amountScaled, collateralMarket, now);
  const a = calculateLiquidationAmounts({
    collateralAmount: userCollateralAmount,
    collateralPrice,
    collateralParams,
    debtAmount: userDebtAmount,
    sent: sentCoin.amount,
    debtPrice,
    health,
    cap,
  });
  const refund = sentCoin.amount - a.debtToRepay;
  const seizeScaled = scaledLiquidity(a.collateralToLiquidate, collateralMarket, now);
  const toLiquidatorScaled = scaledLiquidity(a.collateralToLiquidator, collateralMarket, now);
  const feeScaled = scaledLiquidity(a.protocolFee, collateralMarket, now);

  // 4. Collateral shares: user → recipient, protocol fee → rewards collector.
  decreaseCollateral(ctx.store, user, "", collateralDenom, seizeScaled);
  increaseCollateral(ctx.store, recipient, "", collateralDenom, toLiquidatorScaled);
  if (a.protocolFee !== 0n) increaseCollateral(ctx.store, addrs.rewards_collector, "", collateralDenom, feeScaled);

  // 5. The user's debt.
  const debtAfter = checkedSub(userDebtAmount, a.debtToRepay);
  const debtScaledDelta = checkedSub(debt.amountScaled, scaledDebt(debtAfter, debtMarket, now));
  decreaseDebt(ctx.store, user, debtDenom, debtScaledDelta);
  const marketDebtAfter = checkedSub(debtMarket.debtTotalScaled, debtScaledDelta);

  // 6. The debt market: interest to now (on the old total), new total, new rates.
  const res = response();
  applyAccumulatedInterests(ctx.store, variantName, debtMarket, now, addrs.rewards_collector, res);
  debtMarket.debtTotalScaled = marketDebtAfter;
  updateInterestRates(debtMarket, now, res);
  saveMarket(ctx.store, debtMarket);

  // 7–9. Refund to the sender and the event.
  if (refund !== 0n) res.send(ctx.sender, [{ denom: debtDenom, amount: refund.toString() }]);
  res
    .attr("action", "liquidate")
    .attr("user", user)
    .attr("liquidator", ctx.sender)
    .attr("recipient", recipient)
    .attr("collateral_denom", collateralDenom)
    .attr("collateral_amount", a.collateralToLiquidate)
    .attr("collateral_amount_scaled", seizeScaled);
  if (variantName === "neutron") res.attr("collateral_price", decStr(collateralPrice));
  res.attr("debt_denom", debtDenom).attr("debt_amount", a.debtToRepay).attr("debt_amount_scaled", debtScaledDelta);
  if (variantName === "neutron") {
    res
      .attr("debt_price", decStr(debtPrice))
      .attr("protocol_fee_denom", collateralDenom)
      .attr("protocol_fee_amount", a.protocolFee)
      .attr("protocol_fee_amount_scaled", feeScaled);
  }
  return res;
}
