import { dec, mulFloor, ratio, ONE } from "../../math/decimal.js";
import type { KvStore } from "../../state/kv-store.js";
import { ContractError, type QueryContext } from "../host.js";
import { queryContract } from "../mars-core/querier.js";
import type { AssetParamsJson } from "../params-asset.js";
import { underlyingDebt, underlyingLiquidity } from "./interest.js";
import { COLLS, DEBTS, loadMarket, userIdKey, type Market } from "./state.js";

/**
 * Red Bank health (spec §2.4, `C:contracts/red-bank/src/health.rs`, `C:packages/health/src/health.rs`):
 * per denom with collateral or debt, `collateral_value = floor(coll·p)` (enabled collateral only),
 * debt value `floor(debt·p)` (0 for uncollateralized debt), LTV/LT-weighted sums floored, factors
 * `ratio(weighted, debt_value)` (none without debt).
 */

/** One denom of a user's position, with its price and risk parameters. */
export interface Position {
  denom: string;
  collateralAmount: bigint;
  debtAmount: bigint;
  uncollateralizedDebt: boolean;
  maxLtv: bigint;
  liquidationThreshold: bigint;
  /** Oracle price (atomics), default or liquidation kind. */
  price: bigint;
}

/** Health values; factors are Decimal atomics or null without collateralized debt. */
export interface Health {
  totalCollateralValue: bigint;
  totalDebtValue: bigint;
  maxLtvAdjustedCollateral: bigint;
  ltAdjustedCollateral: bigint;
  maxLtvHealthFactor: bigint | null;
  liquidationHealthFactor: bigint | null;
}

/** `Health::compute_health` over positions (order-independent). */
export function computeHealth(positions: Iterable<Position>): Health {
  const h: Health = { totalCollateralValue: 0n, totalDebtValue: 0n, maxLtvAdjustedCollateral: 0n, ltAdjustedCollateral: 0n, maxLtvHealthFactor: null, liquidationHealthFactor: null };
  for (const p of positions) {
    const collateralValue = mulFloor(p.collateralAmount, p.price);
    h.totalDebtValue += mulFloor(p.uncollateralizedDebt ? 0n : p.debtAmount, p.price);
    h.totalCollateralValue += collateralValue;
    h.maxLtvAdjustedCollateral += mulFloor(collateralValue, p.maxLtv);
    h.ltAdjustedCollateral += mulFloor(collateralValue, p.liquidationThreshold);
  }
  if (h.totalDebtValue !== 0n) {
    h.maxLtvHealthFactor = ratio(h.maxLtvAdjustedCollateral, h.totalDebtValue);
    h.liquidationHealthFactor = ratio(h.ltAdjustedCollateral, h.totalDebtValue);
  }
  return h;
}

/** `liq_hf < 1`. */
export function isLiquidatable(h: Health): boolean {
  return h.liquidationHealthFactor !== null && h.liquidationHealthFactor < ONE;
}

/** `max_ltv_hf < 1`. */
export function isAboveMaxLtv(h: Health): boolean {
  return h.maxLtvHealthFactor !== null && h.maxLtvHealthFactor < ONE;
}

/** The two asset params health needs, as Decimal atomics. */
export interface RiskParams {
  maxLtv: bigint;
  liquidationThreshold: bigint;
}

/** Where health reads markets, asset params and prices from. */
export interface HealthSources {
  market(denom: string): Market;
  params(denom: string): RiskParams;
  /** Default price, or liquidation price when `liquidation`. */
  price(denom: string, liquidation: boolean): bigint;
}

/** Sources as the contract sees them: its own markets, smart queries of params and oracle (with their error texts). */
export function contractSources(ctx: QueryContext, oracle: string, params: string): HealthSources {
  return {
    market: (denom) => loadMarket(ctx.store, denom),
    params: (denom) => riskParams(queryAssetParams(ctx, params, denom)),
    price: (denom, liquidation) => queryPrice(ctx, oracle, denom, liquidation),
  };
}

/** Max LTV and liquidation threshold of asset params JSON. */
export function riskParams(p: AssetParamsJson): RiskParams {
  return { maxLtv: dec(p.max_loan_to_value), liquidationThreshold: dec(p.liquidation_threshold) };
}

/** `query_asset_params`: a missing entry (`null`) fails to deserialize, as on chain. */
export function queryAssetParams(ctx: QueryContext, params: string, denom: string): AssetParamsJson {
  const p = queryContract<AssetParamsJson | null>(ctx, params, { asset_params: { denom } });
  if (!p) throw new ContractError("Error parsing into type mars_types::params::asset::AssetParamsBase<cosmwasm_std::addresses::Addr>: Invalid type");
  return p;
}

/** `oracle::helpers::query_price` (default kind, error wrapped) or `query_price_for_liquidate`. */
export function queryPrice(ctx: QueryContext, oracle: string, denom: string, liquidation: boolean): bigint {
  const msg = { price: { denom, kind: liquidation ? "liquidation" : "default" } };
  if (liquidation) return dec(queryContract<{ price: string }>(ctx, oracle, msg).price);
  try {
    return dec(queryContract<{ price: string }>(ctx, oracle, msg).price);
  } catch (err) {
    if (err instanceof ContractError) throw new ContractError(`Generic error: failed to query price for denom: ${denom}. Error: ${err.message}`);
    throw err;
  }
}

/**
 * `get_user_positions_map`: every denom in which `(user, accId)` has collateral or `user` has debt,
 * with underlying amounts at `now`, params and prices from `sources`.
 */
export function userPositions(store: KvStore, user: string, accId: string, now: number, sources: HealthSources, liquidation: boolean): Map<string, Position> {
  const colls = new Map(COLLS.entries(store, [userIdKey(user, accId)]).map((e) => [e.key[1]!, e.value]));
  const debts = new Map(DEBTS.entries(store, [user]).map((e) => [e.key[1]!, e.value]));
  const denoms = [...new Set([...colls.keys(), ...debts.keys()])].sort();
  const out = new Map<string, Position>();
  for (const denom of denoms) {
    const market = sources.market(denom);
    const params = sources.params(denom);
    const c = colls.get(denom);
    const d = debts.get(denom);
    out.set(denom, {
      denom,
      collateralAmount: c && c.enabled ? underlyingLiquidity(BigInt(c.amount_scaled), market, now) : 0n,
      debtAmount: d ? underlyingDebt(BigInt(d.amount_scaled), market, now) : 0n,
      uncollateralizedDebt: d?.uncollateralized ?? false,
      maxLtv: params.maxLtv,
      liquidationThreshold: params.liquidationThreshold,
      price: sources.price(denom, liquidation),
    });
  }
  return out;
}
