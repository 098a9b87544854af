import { ContractError, variant } from "../host.js";
import { optString, optU32, parseError, reqString, type Fields } from "../mars-core/msg-fields.js";
import { ownerResponse } from "./common/owner-update.js";
import { pageLimit } from "../mars-core/pagination.js";
import { rangeAfterKey } from "../mars-core/pagination.js";
import { queryContract } from "../mars-core/querier.js";
import { splitKey } from "../../state/storage.js";
import type { JsonMap } from "../../state/storage.js";
import { allLent } from "./clients.js";
import { debtSharesToAmount } from "./borrow-repay.js";
import type { CmQueryEnv } from "./env.js";
import {
  ACCOUNT_KINDS,
  ACCOUNT_NFT,
  COIN_BALANCES,
  DEBT_SHARES,
  HEALTH_CONTRACT,
  INCENTIVES,
  KEEPER_FEE_CONFIG,
  MAX_SLIPPAGE,
  MAX_UNLOCKING_POSITIONS,
  ORACLE,
  PARAMS,
  PERPS,
  PERPS_LB_RATIO,
  RED_BANK,
  REWARDS_COLLECTOR,
  SWAPPER,
  SWAP_FEE,
  TOTAL_DEBT_SHARES,
  ZAPPER,
  accountKind,
  load,
  type AccountKind,
} from "./state.js";

const TYPE = "mars_types::credit_manager::QueryMsg";

/** `positions` response (spec §6.3); vaults, staked LPs and [NTRN] perps are always empty here. */
export interface PositionsJson {
  account_id: string;
  account_kind: AccountKind;
  deposits: { denom: string; amount: string }[];
  debts: { denom: string; shares: string; amount: string }[];
  lends: { denom: string; amount: string }[];
  vaults: unknown[];
  staked_astro_lps: unknown[];
  perps?: unknown[];
}

/** `positions {account_id}`: coin balances, debts (`ceil(CM_RB_debt·shares/total_shares)`), lends. */
export function queryPositions(env: CmQueryEnv, accountId: string, _action: string | undefined): PositionsJson {
  const deposits = COIN_BALANCES.entries(env.store, [accountId]).map((e) => ({ denom: e.key[1]!, amount: e.value }));
  const debts = DEBT_SHARES.entries(env.store, [accountId]).map((e) => {
    const shares = BigInt(e.value);
    return { denom: e.key[1]!, shares: e.value, amount: debtSharesToAmount(env, e.key[1]!, shares).toString() };
  });
  const positions: PositionsJson = {
    account_id: accountId,
    account_kind: ACCOUNT_KINDS.load(env.store, accountId) ?? "default",
    deposits,
    debts,
    lends: allLent(env, accountId),
    vaults: [],
    staked_astro_lps: [],
  };
  if (env.neutron) positions.perps = [];
  return positions;
}

/** `config {}` (spec §6.3), with the [NTRN] perps fields on neutron. */
export function queryConfig(env: CmQueryEnv): Record<string, unknown> {
  const s = env.store;
  const cfg: Record<string, unknown> = {
    ownership: ownerResponse(s),
    account_nft: ACCOUNT_NFT.load(s) ?? null,
    red_bank: load(s, RED_BANK).addr,
    incentives: load(s, INCENTIVES).addr,
    oracle: load(s, ORACLE),
    params: load(s, PARAMS),
  };
  if (env.neutron) cfg["perps"] = PERPS.load(s) ?? "";
  Object.assign(cfg, {
    max_unlocking_positions: load(s, MAX_UNLOCKING_POSITIONS),
    max_slippage: load(s, MAX_SLIPPAGE),
    swapper: load(s, SWAPPER),
    zapper: load(s, ZAPPER),
    health_contract: load(s, HEALTH_CONTRACT),
    rewards_collector: REWARDS_COLLECTOR.load(s) ?? null,
  });
  if (env.neutron) {
    cfg["keeper_fee_config"] = KEEPER_FEE_CONFIG.load(s) ?? { min_fee: { denom: "untrn", amount: "0" } };
    cfg["perps_liquidation_bonus_ratio"] = PERPS_LB_RATIO.load(s) ?? "0";
  }
  return cfg;
}

/** Answers a credit-manager query. */
export function query(env: CmQueryEnv, msg: unknown): unknown {
  const [name, b] = variant(msg);
  switch (name) {
    case "positions":
      return queryPositions(env, reqString(TYPE, b, "account_id"), optString(TYPE, b, "action") ?? undefined);
    case "accounts": {
      const res = queryContract<{ tokens: string[] }>(env, load(env.store, ACCOUNT_NFT), {
        tokens: { owner: reqString(TYPE, b, "owner"), start_after: optString(TYPE, b, "start_after"), limit: optU32(TYPE, b, "limit") },
      });
      return res.tokens.map((id) => ({ id, kind: accountKind(env.store, id) }));
    }
    case "account_kind":
      return accountKind(env.store, reqString(TYPE, b, "account_id"));
    case "config":
      return queryConfig(env);
    case "swap_fee_rate":
      return load(env.store, SWAP_FEE);
    case "all_coin_balances":
      return pairPage(env, COIN_BALANCES, b, "amount");
    case "all_debt_shares":
      return pairPage(env, DEBT_SHARES, b, "shares");
    case "total_debt_shares": {
      const denom = b["value"];
      if (typeof denom !== "string") throw parseError(TYPE, "invalid type for `total_debt_shares`: expected a denom string");
      const shares = TOTAL_DEBT_SHARES.load(env.store, denom);
      if (shares === undefined) throw new ContractError("cosmwasm_std::math::uint128::Uint128 not found");
      return { denom, shares };
    }
    case "all_total_debt_shares": {
      const after = optString(TYPE, b, "start_after");
      const rows = rangeAfterKey(env.store, TOTAL_DEBT_SHARES.prefix, after === null ? undefined : TOTAL_DEBT_SHARES.key(after), pageLimit(optU32(TYPE, b, "limit")));
      return rows.map(([k, v]) => ({ denom: splitKey(k.slice(TOTAL_DEBT_SHARES.prefix.length), 1)[0]!, shares: JSON.parse(v) as string }));
    }
    case "all_vault_positions":
      return [];
    case "vault_bindings":
      return { data: [], metadata: { has_more: false } };
    default:
      throw new ContractError(`devnet credit manager: query \`${name}\` is not modelled`);
  }
}

/** `all_coin_balances` / `all_debt_shares`: `(account_id, denom)` map pages, `start_after` exclusive. */
function pairPage(env: CmQueryEnv, map: JsonMap<string>, b: Fields, field: "amount" | "shares"): Record<string, string>[] {
  const sa = b["start_after"];
  let after: string | undefined;
  if (sa !== undefined && sa !== null) {
    if (!Array.isArray(sa) || sa.length !== 2 || typeof sa[0] !== "string" || typeof sa[1] !== "string") {
      throw parseError(TYPE, "invalid type for `start_after`: expected [account_id, denom]");
    }
    after = map.key(sa[0], sa[1]);
  }
  const rows = rangeAfterKey(env.store, map.prefix, after, pageLimit(optU32(TYPE, b, "limit")));
  return rows.map(([k, v]) => {
    const [accountId, denom] = splitKey(k.slice(map.prefix.length), 2);
    return { account_id: accountId!, denom: denom!, [field]: JSON.parse(v) as string };
  });
}
