import { ContractError, response, type ExecuteContext, type MarsVariant, type Response } from "../host.js";
import { optString, reqString, reqUint, type Fields } from "../mars-core/msg-fields.js";
import { addrValidate, nonpayable, oneCoin } from "../mars-core/querier.js";
import { redBankAddresses } from "./env.js";
import { computeHealth, contractSources, isAboveMaxLtv, queryAssetParams, queryPrice, userPositions } from "./health.js";
import { applyAccumulatedInterests, scaledDebt, underlyingDebt, underlyingLiquidity, updateInterestRates } from "./interest.js";
import { checkedSub, decreaseDebt, increaseDebt, loadDebt, loadMarket, saveMarket } from "./state.js";

/**
 * `borrow` and `repay` (spec §2.1; `C:contracts/red-bank/src/{borrow,repay}.rs`). The credit
 * manager borrows uncollateralized (no health check, debt flagged `uncollateralized: true`).
 */

const MSG = "mars_types::red_bank::msg::ExecuteMsg";

/** `{"borrow":{"denom","amount","recipient"}}`: liquidity, `borrow_enabled`, then max-LTV with default prices. */
export function borrow(ctx: ExecuteContext, variantName: MarsVariant, m: Fields): Response {
  nonpayable(ctx);
  const denom = reqString(MSG, m, "denom");
  const amount = reqUint(MSG, m, "amount");
  const recipientArg = optString(MSG, m, "recipient");
  const addrs = redBankAddresses(ctx, ["oracle", "rewards_collector", "params", "credit_manager"]);
  const assetParams = queryAssetParams(ctx, addrs.params, denom);
  if (!assetParams.red_bank.borrow_enabled) throw new ContractError(`Borrow for "${denom}" is not enabled`);
  const market = loadMarket(ctx.store, denom);
  const now = ctx.block.time;
  const collateralTotal = underlyingLiquidity(market.collateralTotalScaled, market, now);
  const debtTotal = underlyingDebt(market.debtTotalScaled, market, now);
  const available = checkedSub(collateralTotal, debtTotal);
  if (amount === 0n || amount > available) {
    throw new ContractError(`Borrow amount must be greater than 0 and less or equal available liquidity (asset: "${denom}")`);
  }

  let uncollateralized = false;
  if (ctx.sender !== addrs.credit_manager) {
    const positions = userPositions(ctx.store, ctx.sender, "", now, contractSources(ctx, addrs.oracle, addrs.params), false);
    let p = positions.get(denom);
    if (!p) {
      p = { denom, collateralAmount: 0n, debtAmount: 0n, uncollateralizedDebt: false, maxLtv: 0n, liquidationThreshold: 0n, price: queryPrice(ctx, addrs.oracle, denom, false) };
      positions.set(denom, p);
    }
    p.debtAmount += amount;
    if (isAboveMaxLtv(computeHealth(positions.values()))) throw new ContractError("Borrow amount exceeds maximum allowed given current collateral value");
  } else {
    uncollateralized = true;
  }

  const res = response();
  applyAccumulatedInterests(ctx.store, variantName, market, now, addrs.rewards_collector, res);
  const amountScaled = scaledDebt(amount, market, now);
  market.debtTotalScaled += amountScaled;
  increaseDebt(ctx.store, ctx.sender, denom, amountScaled, uncollateralized);
  updateInterestRates(market, now, res);
  saveMarket(ctx.store, market);
  const recipient = recipientArg === null ? ctx.sender : addrValidate(ctx, recipientArg);
  return res
    .send(recipient, [{ denom, amount: amount.toString() }])
    .attr("action", "borrow")
    .attr("sender", ctx.sender)
    .attr("recipient", recipient)
    .attr("denom", denom)
    .attr("amount", amount)
    .attr("amount_scaled", amountScaled);
}

/** `{"repay":{"on_behalf_of":null}}` with one coin of the debt denom; the excess is refunded to the sender. */
export function repay(ctx: ExecuteContext, variantName: MarsVariant, m: Fields): Response {
  const coin = oneCoin(ctx);
  const onBehalfOf = optString(MSG, m, "on_behalf_of");
  const { rewards_collector, credit_manager } = redBankAddresses(ctx, ["rewards_collector", "credit_manager"]);
  if (onBehalfOf !== null && onBehalfOf === credit_manager) throw new ContractError("Cannot repay on behalf of credit manager");
  const user = onBehalfOf === null ? ctx.sender : addrValidate(ctx, onBehalfOf);
  const denom = coin.denom;
  const debt = loadDebt(ctx.store, user, denom);
  if (!debt) throw new ContractError("Cannot repay 0 debt");
  const market = loadMarket(ctx.store, denom);
  const res = response();
  const now = ctx.block.time;
  applyAccumulatedInterests(ctx.store, variantName, market, now, rewards_collector, res);
  const debtBefore = underlyingDebt(debt.amountScaled, market, now);
  let refund = 0n;
  let debtAfter = 0n;
  if (coin.amount > debtBefore) {
    refund = coin.amount - debtBefore;
    res.send(ctx.sender, [{ denom, amount: refund.toString() }]);
  } else {
    debtAfter = debtBefore - coin.amount;
  }
  const scaledAfter = scaledDebt(debtAfter, market, now);
  const delta = checkedSub(debt.amountScaled, scaledAfter);
  market.debtTotalScaled = checkedSub(market.debtTotalScaled, delta, "Overflow: ");
  decreaseDebt(ctx.store, user, denom, delta);
  updateInterestRates(market, now, res);
  saveMarket(ctx.store, market);
  return res
    .attr("action", "repay")
    .attr("sender", ctx.sender)
    .attr("on_behalf_of", user)
    .attr("denom", denom)
    .attr("amount", coin.amount - refund)
    .attr("amount_scaled", delta);
}
