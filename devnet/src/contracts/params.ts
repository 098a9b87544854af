import { ONE, dec, decStr } from "../math/decimal.js";
import type { KvStore } from "../state/kv-store.js";
import { Item, JsonMap } from "../state/storage.js";
import { queryAddresses } from "./address-provider.js";
import { ContractError, response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "./host.js";
import { optString, optU32, reqString, toDecimal, unknownVariant, type Fields } from "./mars-core/msg-fields.js";
import { assertOwner, currentOwner, initOwner, proposedOwner } from "./mars-core/owner.js";
import { pageLimit, rangeAfter, toPage } from "./mars-core/pagination.js";
import { queryContract } from "./mars-core/querier.js";
import { checkAssetParams, invalid, type AssetParamsJson } from "./params-asset.js";
import type { PaginationResponse } from "./mars-core/pagination.js";
import { underlyingLiquidity } from "./red-bank/interest.js";
import { marketFromJson, type MarketJson } from "./red-bank/state.js";

/**
 * Model of `mars-params` (spec §4): 2.1.0 [OSMO] or 2.3.0 [NTRN]. Storage as the real contract:
 * Item `owner`, Item `address_provider` (JSON string), Map `asset_params` (denom → AssetParams),
 * Map `vault_configs` (always empty here), [OSMO] Item `target_health_factor` (`"1.05"`),
 * [NTRN] Item `risk_manager` (mars-owner, = owner) and Item `max_perp_params`.
 *
 * Constructor: `{ variant, owner, addressProvider, targetHealthFactor? = "1.05" [OSMO], maxPerpParams? = 0 [NTRN] }`.
 * Owner messages: `{"update_asset_params":{"add_or_update":{"params":AssetParams}}}` (validated as
 * spec §2.5; [NTRN] needs an oracle price source for the denom and then sends the Red Bank
 * `update_market_params` with the asset's `reserve_factor` and `interest_rate_model`, creating the
 * market if it does not exist — that is how Neutron markets are created), [OSMO]
 * `{"update_target_health_factor":"1.05"}` (THF ∈ [1, 2]).
 * Queries: `asset_params`, `all_asset_params`, [NTRN] `all_asset_params_v2`, [OSMO]
 * `target_health_factor` (on [NTRN] an unknown variant), `total_deposit`, `all_total_deposits_v2`,
 * `vault_config(s)` (none), `config`, `owner`.
 */

/** Constructor options of {@link ParamsModel}. */
export interface ParamsOptions {
  variant: MarsVariant;
  owner: string;
  addressProvider: string;
  /** [OSMO] initial target health factor (default "1.05", spec §2.6 A). */
  targetHealthFactor?: string;
  /** [NTRN] maximum number of perp params (default 0; perps are not modelled). */
  maxPerpParams?: number;
}

/** `{"denom":"..","cap":"..","amount":".."}`. */
export interface TotalDepositResponse {
  denom: string;
  cap: string;
  amount: string;
}

const ADDRESS_PROVIDER = new Item<string>("address_provider");
const THF = new Item<string>("target_health_factor");
const MAX_PERP_PARAMS = new Item<number>("max_perp_params");
/** Map `asset_params`: denom → AssetParams (spec §4 storage). */
export const ASSET_PARAMS = new JsonMap<AssetParamsJson>("asset_params", 1);
const VAULT_CONFIGS = new JsonMap<unknown>("vault_configs", 1);
const MSG = "mars_types::params::msg::ExecuteMsg";
const QUERY = "mars_types::params::msg::QueryMsg";

const OSMO_EXECUTE = ["update_owner", "update_config", "update_target_health_factor", "update_asset_params", "update_vault_config", "emergency_update"];
const NTRN_EXECUTE = ["update_owner", "update_risk_manager", "reset_risk_manager", "update_config", "update_asset_params", "update_vault_config", "update_perp_params", "emergency_update", "update_managed_vault_config"];
const OSMO_QUERY = ["owner", "config", "asset_params", "all_asset_params", "vault_config", "all_vault_configs", "all_vault_configs_v2", "target_health_factor", "total_deposit", "all_total_deposits_v2"];
const NTRN_QUERY = ["owner", "risk_manager", "config", "managed_vault_config", "asset_params", "all_asset_params", "all_asset_params_v2", "vault_config", "all_vault_configs", "all_vault_configs_v2", "perp_params", "all_perp_params", "all_perp_params_v2", "total_deposit", "all_total_deposits_v2"];

/** The params model (spec §4). */
export class ParamsModel implements Contract {
  readonly contractName = "crates.io:mars-params";
  readonly contractVersion: string;
  readonly variant: MarsVariant;
  readonly #options: ParamsOptions;

  constructor(options: ParamsOptions) {
    this.variant = options.variant;
    this.contractVersion = options.variant === "osmosis" ? "2.1.0" : "2.3.0";
    this.#options = options;
  }

  /** Writes the items the contract's instantiate writes. */
  instantiate(ctx: ExecuteContext): Response {
    const o = this.#options;
    initOwner(ctx.store, o.owner);
    if (this.variant === "neutron") initOwner(ctx.store, o.owner, "risk_manager");
    ADDRESS_PROVIDER.save(ctx.store, o.addressProvider);
    if (this.variant === "osmosis") THF.save(ctx.store, decStr(assertThf(o.targetHealthFactor ?? "1.05")));
    else MAX_PERP_PARAMS.save(ctx.store, o.maxPerpParams ?? 0);
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, m] = variant(msg);
    if (name === "update_asset_params") return this.#updateAssetParams(ctx, m);
    if (name === "update_target_health_factor" && this.variant === "osmosis") {
      assertOwner(ctx.store, ctx.sender);
      const raw = m.value;
      if (typeof raw !== "string") throw unknownVariant(MSG, name, OSMO_EXECUTE);
      const thf = decStr(assertThf(decStr(toDecimal(MSG, raw))));
      THF.save(ctx.store, thf);
      return response().attr("action", "update_target_health_factor").attr("value", thf);
    }
    throw unknownVariant(MSG, name, this.variant === "osmosis" ? OSMO_EXECUTE : NTRN_EXECUTE);
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name, m] = variant(msg);
    const neutron = this.variant === "neutron";
    switch (name) {
      case "owner":
        return ownerResponse(ctx.store, "owner");
      case "risk_manager":
        if (neutron) return ownerResponse(ctx.store, "risk_manager");
        break;
      case "config":
        return { address_provider: ADDRESS_PROVIDER.load(ctx.store) ?? "" };
      case "asset_params":
        return ASSET_PARAMS.load(ctx.store, reqString(QUERY, m, "denom")) ?? null;
      case "all_asset_params":
        return assetParamsPage(ctx.store, m).data;
      case "all_asset_params_v2":
        if (neutron) return assetParamsPage(ctx.store, m);
        break;
      case "target_health_factor":
        if (!neutron) return THF.load(ctx.store);
        break;
      case "total_deposit":
        return totalDeposit(ctx, reqString(QUERY, m, "denom"));
      case "all_total_deposits_v2":
        return allTotalDeposits(ctx, m);
      case "vault_config":
        throw new ContractError("mars_types::params::vault::VaultConfigBase<cosmwasm_std::addresses::Addr> not found");
      case "all_vault_configs":
        return [];
      case "all_vault_configs_v2":
        return { data: [], metadata: { has_more: false } };
    }
    throw unknownVariant(QUERY, name, neutron ? NTRN_QUERY : OSMO_QUERY);
  }

  /** The stored asset params of `denom` (for genesis and tests), or undefined. */
  assetParams(store: KvStore, denom: string): AssetParamsJson | undefined {
    return ASSET_PARAMS.load(store, denom);
  }

  #updateAssetParams(ctx: ExecuteContext, m: Fields): Response {
    const neutron = this.variant === "neutron";
    if (neutron) {
      if (currentOwner(ctx.store) !== ctx.sender && currentOwner(ctx.store, "risk_manager") !== ctx.sender) {
        throw new ContractError("Caller is not owner or risk manager");
      }
    } else {
      assertOwner(ctx.store, ctx.sender);
    }
    const [kind, body] = variant(m);
    if (kind !== "add_or_update") throw unknownVariant("mars_types::params::msg::AssetParamsUpdate", kind, ["add_or_update"]);
    const params = checkAssetParams(this.variant, body.params);
    const res = response().attr("action", "update_asset_param");
    if (!neutron) {
      ASSET_PARAMS.save(ctx.store, params, params.denom);
      return res.attr("action_type", "add_or_update").attr("denom", params.denom);
    }
    const ap = ADDRESS_PROVIDER.load(ctx.store) ?? "";
    const { oracle, red_bank } = queryAddresses(ctx, ap, ["oracle", "red_bank"]);
    const has = queryContract<{ has_price_source: boolean }>(ctx, oracle, { has_price_source: { denom: params.denom } });
    if (!has.has_price_source) throw new ContractError(`Price source not found for denom: ${params.denom}`);
    ASSET_PARAMS.save(ctx.store, params, params.denom);
    const marketParams = { denom: params.denom, reserve_factor: params.reserve_factor, interest_rate_model: params.interest_rate_model };
    return res
      .execute(red_bank, { update_market_params: { add_or_update: { params: marketParams } } })
      .attr("action_type", "add_or_update")
      .attr("sender", ctx.sender)
      .attr("denom", params.denom);
  }

}

/** `all_asset_params(_v2)`: a page of asset params in denom order. */
function assetParamsPage(store: KvStore, m: Fields): PaginationResponse<AssetParamsJson> {
  const start = optString(QUERY, m, "start_after");
  const limit = pageLimit(optU32(QUERY, m, "limit"));
  const items = rangeAfter(store, ASSET_PARAMS.prefix, start, limit + 1).map(([, v]) => JSON.parse(v) as AssetParamsJson);
  return toPage(items, limit);
}

/** `assert_thf`: the target health factor must lie in [1, 2]; returns its atomics. */
function assertThf(value: string): bigint {
  const thf = dec(value);
  if (thf < ONE || thf > 2n * ONE) invalid("target_health_factor", decStr(thf), "[1, 2]");
  return thf;
}

function ownerResponse(store: KvStore, key: string) {
  const owner = currentOwner(store, key);
  return { owner, proposed: proposedOwner(store, key), initialized: owner !== null, abolished: false, emergency_owner: null };
}

/**
 * `total_deposit`: Red Bank collateral of the denom (underlying at the block time, 0 without a
 * market) plus the credit manager's coin balance; `cap` is the asset's `deposit_cap`.
 */
function totalDeposit(ctx: QueryContext, denom: string): TotalDepositResponse {
  const ap = ADDRESS_PROVIDER.load(ctx.store) ?? "";
  const { red_bank, credit_manager } = queryAddresses(ctx, ap, ["red_bank", "credit_manager"]);
  const market = queryContract<MarketJson | null>(ctx, red_bank, { market: { denom } });
  const parsed = market ? marketFromJson(market) : null;
  const rb = parsed ? underlyingLiquidity(parsed.collateralTotalScaled, parsed, ctx.block.time) : 0n;
  const amount = rb + ctx.balance(credit_manager, denom);
  const params = ASSET_PARAMS.load(ctx.store, denom);
  if (!params) throw new ContractError("mars_types::params::asset::AssetParamsBase<cosmwasm_std::addresses::Addr> not found");
  return { denom, cap: params.deposit_cap, amount: amount.toString() };
}

/** `all_total_deposits_v2`: `total_deposit` for a page of Red Bank markets (`markets_v2` order). */
function allTotalDeposits(ctx: QueryContext, m: Fields): PaginationResponse<TotalDepositResponse> {
  const ap = ADDRESS_PROVIDER.load(ctx.store) ?? "";
  const { red_bank } = queryAddresses(ctx, ap, ["red_bank"]);
  const page = queryContract<PaginationResponse<{ denom: string }>>(ctx, red_bank, {
    markets_v2: { start_after: optString(QUERY, m, "start_after"), limit: optU32(QUERY, m, "limit") },
  });
  return { data: page.data.map((mk) => totalDeposit(ctx, mk.denom)), metadata: page.metadata };
}
