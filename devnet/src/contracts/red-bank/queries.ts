import { decStr, ratio } from "../../math/decimal.js";
import { mapPrefix, text } from "../../state/storage.js";
import type { QueryContext } from "../host.js";
import { optString, optU32, reqString, reqUint, type Fields } from "../mars-core/msg-fields.js";
import { currentOwner, proposedOwner } from "../mars-core/owner.js";
import { pageLimit, rangeAfter, toPage, type PaginationResponse } from "../mars-core/pagination.js";
import { addrValidate } from "../mars-core/querier.js";
import { redBankAddresses } from "./env.js";
import { computeHealth, contractSources, userPositions } from "./health.js";
import { scaledDebt, scaledLiquidity, underlyingDebt, underlyingLiquidity } from "./interest.js";
import {
  CONFIG, COLLS, DEBTS, MARKETS, loadMarket, marketFromJson, userIdKey,
  type CollateralJson, type DebtJson, type MarketJson,
} from "./state.js";

/**
 * Red Bank queries (spec §2.2, `C:contracts/red-bank/src/query.rs`). Amounts are computed at the
 * block time with the updated indexes; lists page with limit default 10, max 30, `start_after`
 * exclusive.
 */

const QUERY = "mars_types::red_bank::msg::QueryMsg";

/** `MarketV2Response`: totals and utilization, then the market's own fields (serde `flatten`). */
export type MarketV2Response = { collateral_total_amount: string; debt_total_amount: string; utilization_rate: string } & MarketJson;

/** `{"config":{}}`. */
export function queryConfig(ctx: QueryContext) {
  return { owner: currentOwner(ctx.store), proposed_new_owner: proposedOwner(ctx.store), address_provider: CONFIG.load(ctx.store)?.address_provider ?? "" };
}

/** `market` → Market or null. */
export function queryMarket(ctx: QueryContext, m: Fields): MarketJson | null {
  return MARKETS.load(ctx.store, reqString(QUERY, m, "denom")) ?? null;
}

/** `market_v2` (errors without a market). */
export function queryMarketV2(ctx: QueryContext, m: Fields): MarketV2Response {
  const denom = reqString(QUERY, m, "denom");
  const j = MARKETS.load(ctx.store, denom);
  if (!j) return loadMarket(ctx.store, denom) as never; // throws cosmwasm's not-found error
  return marketV2(ctx, j);
}

function marketV2(ctx: QueryContext, j: MarketJson): MarketV2Response {
  const market = marketFromJson(j);
  const now = ctx.block.time;
  const collateral = underlyingLiquidity(market.collateralTotalScaled, market, now);
  const debt = underlyingDebt(market.debtTotalScaled, market, now);
  const utilization = collateral === 0n ? 0n : ratio(debt, collateral);
  return { collateral_total_amount: collateral.toString(), debt_total_amount: debt.toString(), utilization_rate: decStr(utilization), ...j };
}

/** `markets` → [Market]. */
export function queryMarkets(ctx: QueryContext, m: Fields): MarketJson[] {
  const limit = pageLimit(optU32(QUERY, m, "limit"));
  return rangeAfter(ctx.store, MARKETS.prefix, optString(QUERY, m, "start_after"), limit).map(([, v]) => JSON.parse(v) as MarketJson);
}

/** `markets_v2` → paginated MarketV2Response. */
export function queryMarketsV2(ctx: QueryContext, m: Fields): PaginationResponse<MarketV2Response> {
  const limit = pageLimit(optU32(QUERY, m, "limit"));
  const items = rangeAfter(ctx.store, MARKETS.prefix, optString(QUERY, m, "start_after"), limit + 1).map(([, v]) => marketV2(ctx, JSON.parse(v) as MarketJson));
  return toPage(items, limit);
}

/** `user_debt` (zeros when there is no debt; errors without a market). */
export function queryUserDebt(ctx: QueryContext, m: Fields) {
  const user = addrValidate(ctx, reqString(QUERY, m, "user"));
  const denom = reqString(QUERY, m, "denom");
  const debt = DEBTS.load(ctx.store, user, denom) ?? { amount_scaled: "0", uncollateralized: false };
  return debtResponse(ctx, denom, debt);
}

/** `user_debts` (one user's debts by denom). */
export function queryUserDebts(ctx: QueryContext, m: Fields) {
  const user = addrValidate(ctx, reqString(QUERY, m, "user"));
  const limit = pageLimit(optU32(QUERY, m, "limit"));
  const prefix = mapPrefix("debts", user);
  return rangeAfter(ctx.store, prefix, optString(QUERY, m, "start_after"), limit).map(([k, v]) => debtResponse(ctx, text(k.slice(prefix.length)), JSON.parse(v) as DebtJson));
}

function debtResponse(ctx: QueryContext, denom: string, debt: DebtJson) {
  const market = loadMarket(ctx.store, denom);
  const amount = underlyingDebt(BigInt(debt.amount_scaled), market, ctx.block.time);
  return { denom, amount_scaled: debt.amount_scaled, amount: amount.toString(), uncollateralized: debt.uncollateralized };
}

/** `user_collateral` (zeros and `enabled: false` when there is none; errors without a market). */
export function queryUserCollateral(ctx: QueryContext, m: Fields) {
  const user = addrValidate(ctx, reqString(QUERY, m, "user"));
  const accId = optString(QUERY, m, "account_id") ?? "";
  const denom = reqString(QUERY, m, "denom");
  const c = COLLS.load(ctx.store, userIdKey(user, accId), denom) ?? { amount_scaled: "0", enabled: false };
  return collateralResponse(ctx, denom, c);
}

/** `user_collaterals_v2` → paginated; `user_collaterals` is its `data`. */
export function queryUserCollateralsV2(ctx: QueryContext, m: Fields) {
  const user = addrValidate(ctx, reqString(QUERY, m, "user"));
  const accId = optString(QUERY, m, "account_id") ?? "";
  const limit = pageLimit(optU32(QUERY, m, "limit"));
  const prefix = mapPrefix("colls", userIdKey(user, accId));
  const items = rangeAfter(ctx.store, prefix, optString(QUERY, m, "start_after"), limit + 1).map(([k, v]) =>
    collateralResponse(ctx, text(k.slice(prefix.length)), JSON.parse(v) as CollateralJson),
  );
  return toPage(items, limit);
}

function collateralResponse(ctx: QueryContext, denom: string, c: CollateralJson) {
  const market = loadMarket(ctx.store, denom);
  const amount = underlyingLiquidity(BigInt(c.amount_scaled), market, ctx.block.time);
  return { denom, amount_scaled: c.amount_scaled, amount: amount.toString(), enabled: c.enabled };
}

/** `user_position` (default prices) / `user_position_liquidation_pricing` (spec §2.2, §2.4). */
export function queryUserPosition(ctx: QueryContext, m: Fields, liquidationPricing: boolean) {
  const user = addrValidate(ctx, reqString(QUERY, m, "user"));
  const accId = optString(QUERY, m, "account_id") ?? "";
  const { oracle, params } = redBankAddresses(ctx, ["oracle", "params"]);
  const positions = userPositions(ctx.store, user, accId, ctx.block.time, contractSources(ctx, oracle, params), liquidationPricing);
  const h = computeHealth(positions.values());
  const status = h.maxLtvHealthFactor !== null && h.liquidationHealthFactor !== null
    ? { borrowing: { max_ltv_hf: decStr(h.maxLtvHealthFactor), liq_threshold_hf: decStr(h.liquidationHealthFactor) } }
    : "not_borrowing";
  return {
    total_enabled_collateral: h.totalCollateralValue.toString(),
    total_collateralized_debt: h.totalDebtValue.toString(),
    weighted_max_ltv_collateral: h.maxLtvAdjustedCollateral.toString(),
    weighted_liquidation_threshold_collateral: h.ltAdjustedCollateral.toString(),
    health_status: status,
  };
}

/** `scaled_liquidity_amount`, `scaled_debt_amount`, `underlying_liquidity_amount`, `underlying_debt_amount` → `"Uint128"`. */
export function queryConversion(ctx: QueryContext, name: string, m: Fields): string {
  const market = loadMarket(ctx.store, reqString(QUERY, m, "denom"));
  const now = ctx.block.time;
  switch (name) {
    case "scaled_liquidity_amount":
      return scaledLiquidity(reqUint(QUERY, m, "amount"), market, now).toString();
    case "scaled_debt_amount":
      return scaledDebt(reqUint(QUERY, m, "amount"), market, now).toString();
    case "underlying_liquidity_amount":
      return underlyingLiquidity(reqUint(QUERY, m, "amount_scaled"), market, now).toString();
    default:
      return underlyingDebt(reqUint(QUERY, m, "amount_scaled"), market, now).toString();
  }
}
