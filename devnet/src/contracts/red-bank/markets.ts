import { ONE, decStr } from "../../math/decimal.js";
import { ContractError, response, variant, type ExecuteContext, type MarsVariant, type Response } from "../host.js";
import { asObject, denyUnknownFields, optDecimal, reqString, unknownVariant, type Fields } from "../mars-core/msg-fields.js";
import { assertOwner } from "../mars-core/owner.js";
import { validateNativeDenom } from "../mars-core/querier.js";
import { redBankAddresses } from "./env.js";
import { applyAccumulatedInterests, updateInterestRates } from "./interest.js";
import { parseIrm, validateIrm, type InterestRateModel } from "./interest-rate-model.js";
import { MARKETS, loadMarket, saveMarket, type Market } from "./state.js";

/**
 * Market administration (spec §2.1):
 * - [OSMO] owner `{"init_asset":{"denom","params":{"reserve_factor","interest_rate_model"}}}` (both
 *   params required) and `{"update_asset":{"denom","params":{..optional..}}}`
 *   (`C:contracts/red-bank/src/asset.rs`);
 * - [NTRN] `{"update_market_params":{"add_or_update":{"params":{"denom","reserve_factor","interest_rate_model"}}}}`,
 *   accepted only from the params contract, which sends it on `update_asset_params`; it creates
 *   the market when missing (`CC:contracts/red-bank/src/asset.rs`).
 * Changing the reserve factor or the model first accrues interest to now, then recomputes rates.
 */

interface MarketParams {
  reserveFactor: bigint | null;
  irm: InterestRateModel | null;
}

const PARAMS_T = "mars_types::red_bank::msg::InitOrUpdateAssetParams";

/** [OSMO] `init_asset` (owner). */
export function initAsset(ctx: ExecuteContext, m: Fields): Response {
  assertOwner(ctx.store, ctx.sender);
  const denom = reqString(PARAMS_T, m, "denom");
  validateNativeDenom(denom);
  if (MARKETS.load(ctx.store, denom)) throw new ContractError("Asset is already initialized");
  saveMarket(ctx.store, createMarket(denom, parseParams(m.params), ctx.block.time));
  return response().attr("action", "init_asset").attr("denom", denom);
}

/** [OSMO] `update_asset` (owner). */
export function updateAsset(ctx: ExecuteContext, variantName: MarsVariant, m: Fields): Response {
  assertOwner(ctx.store, ctx.sender);
  const denom = reqString(PARAMS_T, m, "denom");
  if (!MARKETS.load(ctx.store, denom)) throw new ContractError("Asset not initialized");
  return applyUpdate(ctx, variantName, loadMarket(ctx.store, denom), parseParams(m.params));
}

/** [NTRN] `update_market_params` (params contract only). */
export function updateMarketParams(ctx: ExecuteContext, variantName: MarsVariant, m: Fields): Response {
  const { params } = redBankAddresses(ctx, ["params"]);
  if (ctx.sender !== params) throw new ContractError("Unauthorized");
  const [kind, body] = variant(m);
  if (kind !== "add_or_update") throw unknownVariant("mars_types::red_bank::msg::MarketParamsUpdate", kind, ["add_or_update"]);
  const p = asObject(PARAMS_T, body.params);
  const denom = reqString(PARAMS_T, p, "denom");
  const parsed = parseParams(p, ["denom"]);
  const existing = MARKETS.load(ctx.store, denom);
  if (existing) return applyUpdate(ctx, variantName, loadMarket(ctx.store, denom), parsed);
  validateNativeDenom(denom);
  saveMarket(ctx.store, createMarket(denom, parsed, ctx.block.time));
  return response().attr("action", "init_asset").attr("denom", denom);
}

function createMarket(denom: string, p: MarketParams, now: number): Market {
  if (p.reserveFactor === null || p.irm === null) throw new ContractError("All params should be available during instantiation");
  const market: Market = {
    denom,
    reserveFactor: p.reserveFactor,
    irm: p.irm,
    borrowIndex: ONE,
    liquidityIndex: ONE,
    borrowRate: 0n,
    liquidityRate: 0n,
    indexesLastUpdated: now,
    collateralTotalScaled: 0n,
    debtTotalScaled: 0n,
  };
  validateMarket(market);
  return market;
}

function applyUpdate(ctx: ExecuteContext, variantName: MarsVariant, market: Market, p: MarketParams): Response {
  const res = response();
  const shouldUpdateRates = (p.reserveFactor !== null && p.reserveFactor !== market.reserveFactor) || p.irm !== null;
  if (shouldUpdateRates) {
    const { rewards_collector } = redBankAddresses(ctx, ["rewards_collector"]);
    applyAccumulatedInterests(ctx.store, variantName, market, ctx.block.time, rewards_collector, res);
  }
  const updated: Market = { ...market, reserveFactor: p.reserveFactor ?? market.reserveFactor, irm: p.irm ?? market.irm };
  validateMarket(updated);
  if (shouldUpdateRates) updateInterestRates(updated, ctx.block.time, res);
  saveMarket(ctx.store, updated);
  return res.attr("action", "update_asset").attr("denom", market.denom);
}

/** `Market::validate`: `reserve_factor < 1`, then the interest rate model. */
function validateMarket(m: Market): void {
  if (m.reserveFactor >= ONE) throw new ContractError(`Invalid param: reserve_factor is ${decStr(m.reserveFactor)}, but it should be < 1`);
  validateIrm(m.irm);
}

function parseParams(value: unknown, extra: string[] = []): MarketParams {
  const p = asObject(PARAMS_T, value);
  denyUnknownFields(PARAMS_T, p, [...extra, "reserve_factor", "interest_rate_model"]);
  const irm = p.interest_rate_model;
  return { reserveFactor: optDecimal(PARAMS_T, p, "reserve_factor"), irm: irm === undefined || irm === null ? null : parseIrm(irm) };
}
