import type { QueryContext } from "../host.js";
import type { AssetParamsJson } from "../params-asset.js";
import { dec } from "../../math/decimal.js";
import { queryContract } from "../mars-core/querier.js";
import { coinJson, type BigCoin } from "./common/coin.js";
import { ACCOUNT_NFT, HEALTH_CONTRACT, ORACLE, PARAMS, RED_BANK, accountKind, load } from "./state.js";

/**
 * The credit manager's view of its neighbours, through their JSON APIs only (spec §2 Red Bank,
 * §4 params, §5 oracle, §6.3 health, §3.3 account NFT), mirroring the `mars_types::adapters`.
 */

/** Oracle price kind. */
export type PriceKind = "default" | "liquidation";


/** `health_values` response (numbers still as JSON strings). */
export interface HealthValuesJson {
  total_debt_value: string;
  total_collateral_value: string;
  max_ltv_adjusted_collateral: string;
  liquidation_threshold_adjusted_collateral: string;
  max_ltv_health_factor: string | null;
  liquidation_health_factor: string | null;
  liquidatable: boolean;
  above_max_ltv: boolean;
}

/** `health_state` response. */
export type HealthStateJson = "healthy" | { unhealthy: { max_ltv_health_factor: string; liquidation_health_factor?: string } };

/** The credit manager's Red Bank debt of `denom` (underlying, at the current block). */
export function redBankDebt(ctx: QueryContext, denom: string): bigint {
  const res = queryContract<{ amount: string }>(ctx, load(ctx.store, RED_BANK).addr, { user_debt: { user: ctx.self, denom } });
  return BigInt(res.amount);
}

/** Amount an account has lent (Red Bank collateral under `(cm, account_id)`). */
export function lentAmount(ctx: QueryContext, accountId: string, denom: string): bigint {
  const res = queryContract<{ amount: string }>(ctx, load(ctx.store, RED_BANK).addr, { user_collateral: { user: ctx.self, account_id: accountId, denom } });
  return BigInt(res.amount);
}

/** All lends of an account, paging `user_collaterals_v2` to the end. */
export function allLent(ctx: QueryContext, accountId: string): { denom: string; amount: string }[] {
  const rb = load(ctx.store, RED_BANK).addr;
  const out: { denom: string; amount: string }[] = [];
  let startAfter: string | null = null;
  for (;;) {
    const page: { data: { denom: string; amount: string }[]; metadata: { has_more: boolean } } = queryContract(ctx, rb, {
      user_collaterals_v2: { user: ctx.self, account_id: accountId, start_after: startAfter, limit: null },
    });
    for (const c of page.data) out.push({ denom: c.denom, amount: c.amount });
    if (!page.metadata.has_more || page.data.length === 0) return out;
    startAfter = out[out.length - 1]!.denom;
  }
}

/** Red Bank messages the credit manager sends (`RedBank` adapter). */
export const redBankMsg = {
  borrow: (c: BigCoin) => ({ borrow: { denom: c.denom, amount: c.amount.toString(), recipient: null } }),
  repay: () => ({ repay: { on_behalf_of: null } }),
  lend: (accountId: string) => ({ deposit: { account_id: accountId, on_behalf_of: null } }),
  reclaim: (c: BigCoin, accountId: string, liquidationRelated: boolean) => ({
    withdraw: { denom: c.denom, amount: c.amount.toString(), recipient: null, account_id: accountId, liquidation_related: liquidationRelated },
  }),
};

/** Asset params of a denom, or undefined when the params contract has none. */
export function assetParams(ctx: QueryContext, denom: string): AssetParamsJson | undefined {
  return queryContract<AssetParamsJson | null>(ctx, load(ctx.store, PARAMS), { asset_params: { denom } }) ?? undefined;
}

/** [OSMO] the params contract's target health factor (atomics). */
export function targetHealthFactor(ctx: QueryContext): bigint {
  return dec(queryContract<string>(ctx, load(ctx.store, PARAMS), { target_health_factor: {} }));
}

/** Params `total_deposit {denom}` → `{denom, cap, amount}`. */
export function totalDeposit(ctx: QueryContext, denom: string): { denom: string; cap: bigint; amount: bigint } {
  const r = queryContract<{ denom: string; cap: string; amount: string }>(ctx, load(ctx.store, PARAMS), { total_deposit: { denom } });
  return { denom: r.denom, cap: BigInt(r.cap), amount: BigInt(r.amount) };
}

/** Oracle price (atomics) of a denom for a price kind. */
export function price(ctx: QueryContext, denom: string, kind: PriceKind): bigint {
  return dec(queryContract<{ price: string }>(ctx, load(ctx.store, ORACLE), { price: { denom, kind } }).price);
}

/** Health query message in the variant's shape (osmosis passes the account kind). */
function healthMsg(ctx: QueryContext, name: "health_values" | "health_state", accountId: string, action: PriceKind, neutron: boolean): unknown {
  const body = neutron ? { account_id: accountId, action } : { account_id: accountId, kind: accountKind(ctx.store, accountId), action };
  return { [name]: body };
}

/** `health_values` of an account via the health contract. */
export function healthValues(ctx: QueryContext, accountId: string, action: PriceKind, neutron: boolean): HealthValuesJson {
  return queryContract(ctx, load(ctx.store, HEALTH_CONTRACT), healthMsg(ctx, "health_values", accountId, action, neutron));
}

/** `health_state` of an account via the health contract. */
export function healthState(ctx: QueryContext, accountId: string, action: PriceKind, neutron: boolean): HealthStateJson {
  return queryContract(ctx, load(ctx.store, HEALTH_CONTRACT), healthMsg(ctx, "health_state", accountId, action, neutron));
}

/** The account NFT's next token id. */
export function nftNextId(ctx: QueryContext): string {
  return queryContract<string>(ctx, load(ctx.store, ACCOUNT_NFT), { next_id: {} });
}

/** The owner of an account NFT. */
export function nftOwner(ctx: QueryContext, accountId: string): string {
  return queryContract<{ owner: string }>(ctx, load(ctx.store, ACCOUNT_NFT), { owner_of: { token_id: accountId, include_expired: null } }).owner;
}

/** Coins as JSON for message funds. */
export const fundsOf = (c: BigCoin) => [coinJson(c)];
