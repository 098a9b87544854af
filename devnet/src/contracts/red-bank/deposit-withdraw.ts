import { ContractError, response, type ExecuteContext, type MarsVariant, type Response } from "../host.js";
import { optBool, optString, optUint, reqString, type Fields } from "../mars-core/msg-fields.js";
import { addrValidate, nonpayable, oneCoin, queryContract } from "../mars-core/querier.js";
import { redBankAddresses } from "./env.js";
import { computeHealth, contractSources, isLiquidatable, queryAssetParams, userPositions } from "./health.js";
import { applyAccumulatedInterests, scaledLiquidity, underlyingLiquidity, updateInterestRates } from "./interest.js";
import { checkedSub, decreaseCollateral, increaseCollateral, isBorrowing, loadCollateral, loadMarket, saveMarket } from "./state.js";

/**
 * `deposit` and `withdraw` (spec §2.1; `C:contracts/red-bank/src/{deposit,withdraw}.rs`, [NTRN]
 * `withdraw_enabled` gating from `CC:`). `account_id` is reserved to the credit manager.
 */

const MSG = "mars_types::red_bank::msg::ExecuteMsg";

/** `{"deposit":{"account_id":null,"on_behalf_of":null}}` with exactly one coin. */
export function deposit(ctx: ExecuteContext, variantName: MarsVariant, m: Fields): Response {
  const coin = oneCoin(ctx);
  const accountId = optString(MSG, m, "account_id");
  const onBehalfOf = optString(MSG, m, "on_behalf_of");
  const { rewards_collector, params, credit_manager } = redBankAddresses(ctx, ["rewards_collector", "params", "credit_manager"]);
  if (accountId !== null && ctx.sender !== credit_manager) throw new ContractError("Unauthorized");
  if (onBehalfOf !== null && onBehalfOf === credit_manager) throw new ContractError("Unauthorized");
  const user = onBehalfOf === null ? ctx.sender : addrValidate(ctx, onBehalfOf);
  const denom = coin.denom;
  const market = loadMarket(ctx.store, denom);
  const assetParams = queryAssetParams(ctx, params, denom);
  if (!assetParams.red_bank.deposit_enabled) throw new ContractError(`Deposit for "${denom}" is not enabled`);
  const total = queryContract<{ amount: string }>(ctx, params, { total_deposit: { denom } });
  if (BigInt(total.amount) + coin.amount > BigInt(assetParams.deposit_cap)) throw new ContractError(`Deposit Cap exceeded for "${denom}"`);

  const res = response();
  const now = ctx.block.time;
  applyAccumulatedInterests(ctx.store, variantName, market, now, rewards_collector, res);
  if (market.liquidityIndex === 0n) throw new ContractError("Cannot have 0 as liquidity index");
  const amountScaled = scaledLiquidity(coin.amount, market, now);
  increaseCollateral(ctx.store, user, accountId ?? "", denom, amountScaled);
  market.collateralTotalScaled += amountScaled;
  updateInterestRates(market, now, res);
  saveMarket(ctx.store, market);
  return res
    .attr("action", "deposit")
    .attr("sender", ctx.sender)
    .attr("on_behalf_of", user)
    .attr("denom", denom)
    .attr("amount", coin.amount)
    .attr("amount_scaled", amountScaled);
}

/**
 * `{"withdraw":{"denom","amount"|null,"recipient","account_id","liquidation_related"}}`: `amount`
 * null withdraws everything; if the collateral is enabled and the sender borrows, the health after
 * the withdraw must not be liquidatable (liquidation prices for the credit manager's
 * liquidation-related withdraws).
 */
export function withdraw(ctx: ExecuteContext, variantName: MarsVariant, m: Fields): Response {
  nonpayable(ctx);
  const denom = reqString(MSG, m, "denom");
  const amount = optUint(MSG, m, "amount");
  const recipientArg = optString(MSG, m, "recipient");
  const accountId = optString(MSG, m, "account_id");
  const liquidationRelatedArg = optBool(MSG, m, "liquidation_related") ?? false;
  const addrs = redBankAddresses(ctx, ["oracle", "rewards_collector", "params", "credit_manager"]);
  if (variantName === "neutron") {
    const assetParams = queryAssetParams(ctx, addrs.params, denom);
    if (!assetParams.red_bank.withdraw_enabled && !liquidationRelatedArg) throw new ContractError(`Withdraw for "${denom}" is not enabled`);
  }
  if (accountId !== null && ctx.sender !== addrs.credit_manager) throw new ContractError("Unauthorized");
  const accId = accountId ?? "";
  const market = loadMarket(ctx.store, denom);
  const collateral = loadCollateral(ctx.store, ctx.sender, accId, denom);
  if (!collateral) throw new ContractError("mars_types::red_bank::types::Collateral not found");
  if (collateral.amountScaled === 0n) throw new ContractError(`User address "${ctx.sender}" has no balance in specified collateral asset "${denom}"`);
  const now = ctx.block.time;
  const balanceBefore = underlyingLiquidity(collateral.amountScaled, market, now);
  if (amount !== null && (amount === 0n || amount > balanceBefore)) {
    throw new ContractError(`Withdraw amount must be greater than 0 and less or equal user balance (asset: "${denom}")`);
  }
  const withdrawAmount = amount ?? balanceBefore;
  const liquidationRelated = ctx.sender === addrs.credit_manager && liquidationRelatedArg;

  if (collateral.enabled && isBorrowing(ctx.store, ctx.sender)) {
    const positions = userPositions(ctx.store, ctx.sender, accId, now, contractSources(ctx, addrs.oracle, addrs.params), liquidationRelated);
    const p = positions.get(denom);
    if (!p) throw new ContractError("Generic error: No User Balance");
    p.collateralAmount = checkedSub(p.collateralAmount, withdrawAmount);
    if (isLiquidatable(computeHealth(positions.values()))) throw new ContractError("User's health factor can't be less than 1 after withdraw");
  }

  const res = response();
  applyAccumulatedInterests(ctx.store, variantName, market, now, addrs.rewards_collector, res);
  const balanceAfter = checkedSub(balanceBefore, withdrawAmount);
  const scaledAfter = scaledLiquidity(balanceAfter, market, now);
  const withdrawScaled = checkedSub(collateral.amountScaled, scaledAfter);
  decreaseCollateral(ctx.store, ctx.sender, accId, denom, withdrawScaled);
  market.collateralTotalScaled = checkedSub(market.collateralTotalScaled, withdrawScaled, "Overflow: ");
  updateInterestRates(market, now, res);
  saveMarket(ctx.store, market);
  const recipient = recipientArg === null ? ctx.sender : addrValidate(ctx, recipientArg);
  return res
    .send(recipient, [{ denom, amount: withdrawAmount.toString() }])
    .attr("action", "withdraw")
    .attr("sender", ctx.sender)
    .attr("recipient", recipient)
    .attr("denom", denom)
    .attr("amount", withdrawAmount)
    .attr("amount_scaled", withdrawScaled);
}
