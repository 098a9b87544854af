import { response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "../host.js";
import { unknownVariant } from "../mars-core/msg-fields.js";
import { initOwner } from "../mars-core/owner.js";
import { borrow, repay } from "./borrow-repay.js";
import { updateAssetCollateralStatus } from "./collateral-status.js";
import { deposit, withdraw } from "./deposit-withdraw.js";
import { liquidate } from "./liquidate.js";
import { initAsset, updateAsset, updateMarketParams } from "./markets.js";
import {
  queryConfig, queryConversion, queryMarket, queryMarketV2, queryMarkets, queryMarketsV2, queryUserCollateral,
  queryUserCollateralsV2, queryUserDebt, queryUserDebts, queryUserPosition,
} from "./queries.js";
import { CONFIG, MIGRATION_GUARD } from "./state.js";

/**
 * Model of the Mars Red Bank (spec §2, §3.2): `mars-red-bank` 2.1.0 [OSMO] (dynamic close factor
 * via the target health factor) or 2.3.3 [NTRN] (static close factor, `withdraw_enabled`).
 *
 * Constructor: `{ variant, owner, addressProvider }`. The oracle, params, credit manager and
 * rewards collector are looked up in the address provider on every call, as the real contract
 * does (set them before the first deposit).
 * Owner messages: [OSMO] `init_asset {denom, params:{reserve_factor, interest_rate_model}}`,
 * `update_asset {denom, params}`; [NTRN] markets are created and updated by the params contract's
 * `update_asset_params` (it sends `update_market_params`, accepted only from params).
 * User messages: `deposit`, `withdraw`, `borrow`, `repay`, `liquidate`, `update_asset_collateral_status`.
 * Queries: all of spec §2.2 plus `config`.
 */

/** Constructor options of {@link RedBankModel}. */
export interface RedBankOptions {
  variant: MarsVariant;
  owner: string;
  /** Address of the address provider (Item `config`). */
  addressProvider: string;
}

const MSG = "mars_types::red_bank::msg::ExecuteMsg";
const QUERY = "mars_types::red_bank::msg::QueryMsg";
const USER_MSGS = ["deposit", "withdraw", "borrow", "repay", "liquidate", "update_asset_collateral_status"];
const QUERIES = [
  "config", "market", "market_v2", "markets", "markets_v2", "user_debt", "user_debts", "user_collateral", "user_collaterals",
  "user_collaterals_v2", "user_position", "user_position_liquidation_pricing", "scaled_liquidity_amount", "scaled_debt_amount",
  "underlying_liquidity_amount", "underlying_debt_amount",
];

/** The Red Bank model. */
export class RedBankModel implements Contract {
  readonly contractName = "crates.io:mars-red-bank";
  readonly contractVersion: string;
  readonly variant: MarsVariant;
  readonly #options: RedBankOptions;

  constructor(options: RedBankOptions) {
    this.variant = options.variant;
    this.contractVersion = options.variant === "osmosis" ? "2.1.0" : "2.3.3";
    this.#options = options;
  }

  /**
   * Writes `config` and `owner` as the contract's instantiate does; [OSMO] also the migration
   * guard Item `guard` = `"unlocked"`, as mainnet holds it after the 2.1.0 migration (spec §3.2).
   */
  instantiate(ctx: ExecuteContext): Response {
    CONFIG.save(ctx.store, { address_provider: this.#options.addressProvider });
    initOwner(ctx.store, this.#options.owner);
    if (this.variant === "osmosis") MIGRATION_GUARD.save(ctx.store, "unlocked");
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, m] = variant(msg);
    const v = this.variant;
    switch (name) {
      case "deposit":
        return deposit(ctx, v, m);
      case "withdraw":
        return withdraw(ctx, v, m);
      case "borrow":
        return borrow(ctx, v, m);
      case "repay":
        return repay(ctx, v, m);
      case "liquidate":
        return liquidate(ctx, v, m);
      case "update_asset_collateral_status":
        return updateAssetCollateralStatus(ctx, m);
      case "init_asset":
        if (v === "osmosis") return initAsset(ctx, m);
        break;
      case "update_asset":
        if (v === "osmosis") return updateAsset(ctx, v, m);
        break;
      case "update_market_params":
        if (v === "neutron") return updateMarketParams(ctx, v, m);
        break;
    }
    const admin = v === "osmosis" ? ["update_owner", "update_config", "init_asset", "update_asset"] : ["update_owner", "update_config", "update_market_params"];
    throw unknownVariant(MSG, name, [...admin, ...USER_MSGS]);
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name, m] = variant(msg);
    switch (name) {
      case "config":
        return queryConfig(ctx);
      case "market":
        return queryMarket(ctx, m);
      case "market_v2":
        return queryMarketV2(ctx, m);
      case "markets":
        return queryMarkets(ctx, m);
      case "markets_v2":
        return queryMarketsV2(ctx, m);
      case "user_debt":
        return queryUserDebt(ctx, m);
      case "user_debts":
        return queryUserDebts(ctx, m);
      case "user_collateral":
        return queryUserCollateral(ctx, m);
      case "user_collaterals":
        return queryUserCollateralsV2(ctx, m).data;
      case "user_collaterals_v2":
        return queryUserCollateralsV2(ctx, m);
      case "user_position":
        return queryUserPosition(ctx, m, false);
      case "user_position_liquidation_pricing":
        return queryUserPosition(ctx, m, true);
      case "scaled_liquidity_amount":
      case "scaled_debt_amount":
      case "underlying_liquidity_amount":
      case "underlying_debt_amount":
        return queryConversion(ctx, name, m);
      default:
        throw unknownVariant(QUERY, name, QUERIES);
    }
  }
}
