import { ContractError } from "../host.js";
import type { KvStore } from "../../state/kv-store.js";
import { Item, JsonMap } from "../../state/storage.js";
import { checkedSub } from "./common/rust-fmt.js";
import type { BigCoin } from "./common/coin.js";

/**
 * Credit-manager storage, namespaces and JSON values as in spec §3.3 / `C:contracts/credit-manager/src/state.rs`:
 * Maps `account_types` (id → kind), `coin_balance` ((id, denom) → "amount"), `debt_shares`
 * ((id, denom) → "shares"), `total_debt_shares` (denom → "shares"); Items `account_nft`,
 * `oracle`, `swapper`, `zapper`, `health_contract`, `params` (bare address strings),
 * `red_bank`/`incentives` (`{"addr","credit_manager"}`), `max_unlocking_positions` ("n"),
 * `max_slippage`/`swap_fee` (Decimal strings), `rewards_collector` (`{"address","account_id"}`),
 * `reentrancy_guard` ("locked"/"unlocked"), `owner` (mars-owner); [NTRN] `perps`,
 * `perps_lb_ratio`, `keeper_fee_config`.
 */

/** `AccountKind` JSON: `"default"`, `"high_levered_strategy"`, `{"fund_manager":{"vault_addr"}}`, [NTRN] `"usdc_margin"`. */
export type AccountKind = string | { fund_manager: { vault_addr: string } };

/** Adapter with the credit manager's own address (Red Bank, incentives). */
export interface AddrWithCm {
  addr: string;
  credit_manager: string;
}

/** Rewards-collector binding: its address and its credit account. */
export interface RewardsCollectorCfg {
  address: string;
  account_id: string;
}

/** Map `account_types`: account id → `AccountKind`. */
export const ACCOUNT_KINDS = new JsonMap<AccountKind>("account_types", 1);
/** Map `coin_balance`: (account id, denom) → amount held by the credit manager. */
export const COIN_BALANCES = new JsonMap<string>("coin_balance", 2);
/** Map `debt_shares`: (account id, denom) → shares of the CM's Red Bank debt. */
export const DEBT_SHARES = new JsonMap<string>("debt_shares", 2);
/** Map `total_debt_shares`: denom → all accounts' shares. */
export const TOTAL_DEBT_SHARES = new JsonMap<string>("total_debt_shares", 1);

/** Item `account_nft`: the account NFT address. */
export const ACCOUNT_NFT = new Item<string>("account_nft");
/** Item `oracle`: the oracle address. */
export const ORACLE = new Item<string>("oracle");
/** Item `red_bank`: `{"addr","credit_manager"}`. */
export const RED_BANK = new Item<AddrWithCm>("red_bank");
/** Item `swapper`: the swapper address. */
export const SWAPPER = new Item<string>("swapper");
/** Item `zapper`: the zapper address (zaps are not modelled). */
export const ZAPPER = new Item<string>("zapper");
/** Item `health_contract`: the health contract address. */
export const HEALTH_CONTRACT = new Item<string>("health_contract");
/** Item `params`: the params contract address. */
export const PARAMS = new Item<string>("params");
/** Item `incentives`: `{"addr","credit_manager"}` (claims are not modelled). */
export const INCENTIVES = new Item<AddrWithCm>("incentives");
/** Item `max_unlocking_positions` (Uint128 string). */
export const MAX_UNLOCKING_POSITIONS = new Item<string>("max_unlocking_positions");
/** Item `max_slippage` (Decimal string). */
export const MAX_SLIPPAGE = new Item<string>("max_slippage");
/** Item `rewards_collector`: `{"address","account_id"}`. */
export const REWARDS_COLLECTOR = new Item<RewardsCollectorCfg>("rewards_collector");
/** Item `swap_fee` (Decimal string, spec §6.2). */
export const SWAP_FEE = new Item<string>("swap_fee");
/** Item `reentrancy_guard`: locked during an `update_credit_account`. */
export const REENTRANCY_GUARD = new Item<"locked" | "unlocked">("reentrancy_guard");
/** [NTRN] Item `perps`: the perps contract (perps are not modelled). */
export const PERPS = new Item<string>("perps");
/** [NTRN] Item `perps_lb_ratio` (Decimal string). */
export const PERPS_LB_RATIO = new Item<string>("perps_lb_ratio");
/** [NTRN] Item `keeper_fee_config`. */
export const KEEPER_FEE_CONFIG = new Item<{ min_fee: { denom: string; amount: string } }>("keeper_fee_config");

/** Loads a required Item, failing like cosmwasm-std's `Item::load` on a missing key (e.g. no account NFT set yet). */
export function load<T>(store: KvStore, item: Item<T>): T {
  const v = item.load(store);
  if (v === undefined) throw new ContractError(`${item.name} not found`);
  return v;
}

/** An account's coin balance (0 when absent). */
export function coinBalance(store: KvStore, accountId: string, denom: string): bigint {
  return BigInt(COIN_BALANCES.load(store, accountId, denom) ?? "0");
}

/** `increment_coin_balance`. */
export function incrementCoinBalance(store: KvStore, accountId: string, coin: BigCoin): bigint {
  const next = coinBalance(store, accountId, coin.denom) + coin.amount;
  COIN_BALANCES.save(store, next.toString(), accountId, coin.denom);
  return next;
}

/** `decrement_coin_balance`: underflow errors; a zero balance deletes the entry. */
export function decrementCoinBalance(store: KvStore, accountId: string, coin: BigCoin): bigint {
  const next = checkedSub(coinBalance(store, accountId, coin.denom), coin.amount);
  if (next === 0n) COIN_BALANCES.remove(store, accountId, coin.denom);
  else COIN_BALANCES.save(store, next.toString(), accountId, coin.denom);
  return next;
}

/** Total debt shares of a denom (0 when absent). */
export function totalDebtShares(store: KvStore, denom: string): bigint {
  return BigInt(TOTAL_DEBT_SHARES.load(store, denom) ?? "0");
}

/** An account's debt shares of a denom, if any. */
export function debtShares(store: KvStore, accountId: string, denom: string): bigint | undefined {
  const v = DEBT_SHARES.load(store, accountId, denom);
  return v === undefined ? undefined : BigInt(v);
}

/** The account kind (`"default"` when unknown, as `get_account_kind`). */
export function accountKind(store: KvStore, accountId: string): AccountKind {
  return ACCOUNT_KINDS.load(store, accountId) ?? "default";
}
