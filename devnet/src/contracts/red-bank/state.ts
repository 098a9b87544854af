import { memoize } from "../../memo.js";
import { dec, decStr } from "../../math/decimal.js";
import type { KvStore } from "../../state/kv-store.js";
import { Item, JsonMap, mapPrefix } from "../../state/storage.js";
import { ContractError } from "../host.js";
import { irmFromJson, irmToJson, type InterestRateModel, type InterestRateModelJson } from "./interest-rate-model.js";

/**
 * Red Bank storage exactly as spec §3.2 (`C:contracts/red-bank/src/state.rs`): Item `config`
 * `{"address_provider":".."}`, Item `owner` (mars-owner), Map `markets` (denom → Market JSON),
 * Map `colls` ((UserIdKey JSON bytes, denom) → `{"amount_scaled","enabled"}`), Map `debts`
 * ((addr, denom) → `{"amount_scaled","uncollateralized"}`); values are serde JSON with `Uint128`
 * as strings and trimmed Decimals (spec §1). Typed views use bigint atomics.
 */

/** `Market` JSON (spec §2.2), field order as serialized. */
export interface MarketJson {
  denom: string;
  reserve_factor: string;
  interest_rate_model: InterestRateModelJson;
  borrow_index: string;
  liquidity_index: string;
  borrow_rate: string;
  liquidity_rate: string;
  indexes_last_updated: number;
  collateral_total_scaled: string;
  debt_total_scaled: string;
}

/** A market with Decimals as 18-digit atomics and Uint128 as bigint. */
export interface Market {
  denom: string;
  reserveFactor: bigint;
  irm: InterestRateModel;
  borrowIndex: bigint;
  liquidityIndex: bigint;
  borrowRate: bigint;
  liquidityRate: bigint;
  /** Unix seconds. */
  indexesLastUpdated: number;
  collateralTotalScaled: bigint;
  debtTotalScaled: bigint;
}

/** `{"amount_scaled":"..","enabled":true}`. */
export interface CollateralJson {
  amount_scaled: string;
  enabled: boolean;
}

/** `{"amount_scaled":"..","uncollateralized":false}`. */
export interface DebtJson {
  amount_scaled: string;
  uncollateralized: boolean;
}

/** Item `config`. */
export const CONFIG = new Item<{ address_provider: string }>("config");
/** [OSMO] Item `guard`: the migration guard, `"unlocked"` outside migrations. */
export const MIGRATION_GUARD = new Item<"unlocked" | "locked">("guard");
/** Map `markets`: denom → Market. */
export const MARKETS = new JsonMap<MarketJson>("markets", 1);
/** Map `colls`: (UserIdKey, denom) → Collateral. */
export const COLLS = new JsonMap<CollateralJson>("colls", 2);
/** Map `debts`: (user address, denom) → Debt. */
export const DEBTS = new JsonMap<DebtJson>("debts", 2);

/**
 * `UserIdKey`: the compact JSON `{"addr":"<address>","acc_id":"<account id or empty>"}` (field
 * order addr, acc_id; `C:packages/types/src/keys.rs`). Red Bank users have `acc_id ""`; credit
 * manager lends are `(CM address, account id)`.
 */
export function userIdKey(addr: string, accId = ""): string {
  return JSON.stringify({ addr, acc_id: accId });
}

/** The market JSON to its typed view. */
export function marketFromJson(j: MarketJson): Market {
  return {
    denom: j.denom,
    reserveFactor: dec(j.reserve_factor),
    irm: irmFromJson(j.interest_rate_model),
    borrowIndex: dec(j.borrow_index),
    liquidityIndex: dec(j.liquidity_index),
    borrowRate: dec(j.borrow_rate),
    liquidityRate: dec(j.liquidity_rate),
    indexesLastUpdated: j.indexes_last_updated,
    collateralTotalScaled: BigInt(j.collateral_total_scaled),
    debtTotalScaled: BigInt(j.debt_total_scaled),
  };
}

/** The typed market back to its stored JSON. */
export function marketToJson(m: Market): MarketJson {
  return {
    denom: m.denom,
    reserve_factor: decStr(m.reserveFactor),
    interest_rate_model: irmToJson(m.irm),
    borrow_index: decStr(m.borrowIndex),
    liquidity_index: decStr(m.liquidityIndex),
    borrow_rate: decStr(m.borrowRate),
    liquidity_rate: decStr(m.liquidityRate),
    indexes_last_updated: m.indexesLastUpdated,
    collateral_total_scaled: m.collateralTotalScaled.toString(),
    debt_total_scaled: m.debtTotalScaled.toString(),
  };
}

/** `MARKETS.load`: the market of `denom`, or cosmwasm's not-found error. */
export function loadMarket(store: KvStore, denom: string): Market {
  const m = mayLoadMarket(store, denom);
  if (!m) throw new ContractError("mars_types::red_bank::market::Market not found");
  return m;
}

/**
 * Typed markets by their stored JSON: a market is read by every liquidation, borrow and query, and
 * changes far less often (each caller gets its own copy to change).
 */
const parsedMarket = memoize((raw: string) => marketFromJson(JSON.parse(raw) as MarketJson), 10_000);

/** `MARKETS.may_load`. */
export function mayLoadMarket(store: KvStore, denom: string): Market | undefined {
  const raw = store.get(MARKETS.key(denom));
  return raw === undefined ? undefined : { ...parsedMarket(raw) };
}

/** `MARKETS.save`. */
export function saveMarket(store: KvStore, m: Market): void {
  MARKETS.save(store, marketToJson(m), m.denom);
}

/** A user's collateral entry of `denom`, if any. */
export function loadCollateral(store: KvStore, addr: string, accId: string, denom: string): { amountScaled: bigint; enabled: boolean } | undefined {
  const j = COLLS.load(store, userIdKey(addr, accId), denom);
  return j ? { amountScaled: BigInt(j.amount_scaled), enabled: j.enabled } : undefined;
}

/** A user's debt entry of `denom`, if any. */
export function loadDebt(store: KvStore, addr: string, denom: string): { amountScaled: bigint; uncollateralized: boolean } | undefined {
  const j = DEBTS.load(store, addr, denom);
  return j ? { amountScaled: BigInt(j.amount_scaled), uncollateralized: j.uncollateralized } : undefined;
}

/** `User::increase_collateral`: adds scaled collateral; a new entry is created `enabled: true`. */
export function increaseCollateral(store: KvStore, addr: string, accId: string, denom: string, amountScaled: bigint): void {
  const key = userIdKey(addr, accId);
  const prev = COLLS.load(store, key, denom);
  const next: CollateralJson = prev
    ? { amount_scaled: (BigInt(prev.amount_scaled) + amountScaled).toString(), enabled: prev.enabled }
    : { amount_scaled: amountScaled.toString(), enabled: true };
  COLLS.save(store, next, key, denom);
}

/** `User::decrease_collateral`: subtracts scaled collateral; the entry is removed at zero. */
export function decreaseCollateral(store: KvStore, addr: string, accId: string, denom: string, amountScaled: bigint): void {
  const key = userIdKey(addr, accId);
  const prev = COLLS.load(store, key, denom);
  if (!prev) throw new ContractError("mars_types::red_bank::types::Collateral not found");
  const after = checkedSub(BigInt(prev.amount_scaled), amountScaled, "Overflow: ");
  if (after === 0n) COLLS.remove(store, key, denom);
  else COLLS.save(store, { amount_scaled: after.toString(), enabled: prev.enabled }, key, denom);
}

/** `User::increase_debt`: adds scaled debt; `uncollateralized` is overwritten with the current flag. */
export function increaseDebt(store: KvStore, addr: string, denom: string, amountScaled: bigint, uncollateralized: boolean): void {
  const prev = DEBTS.load(store, addr, denom);
  const total = (prev ? BigInt(prev.amount_scaled) : 0n) + amountScaled;
  DEBTS.save(store, { amount_scaled: total.toString(), uncollateralized }, addr, denom);
}

/** `User::decrease_debt`: subtracts scaled debt; the entry is removed at zero. */
export function decreaseDebt(store: KvStore, addr: string, denom: string, amountScaled: bigint): void {
  const prev = DEBTS.load(store, addr, denom);
  if (!prev) throw new ContractError("mars_types::red_bank::types::Debt not found");
  const after = checkedSub(BigInt(prev.amount_scaled), amountScaled, "Overflow: ");
  if (after === 0n) DEBTS.remove(store, addr, denom);
  else DEBTS.save(store, { amount_scaled: after.toString(), uncollateralized: prev.uncollateralized }, addr, denom);
}

/** `User::is_borrowing`: any debt entry under the user's address. */
export function isBorrowing(store: KvStore, addr: string): boolean {
  return store.prefix(mapPrefix("debts", addr), 1).length > 0;
}

/** Denoms of a user's collateral entries (ascending), for the account id. */
export function collateralDenoms(store: KvStore, addr: string, accId: string): string[] {
  return COLLS.entries(store, [userIdKey(addr, accId)]).map((e) => e.key[1]!);
}

/** Denoms of a user's debt entries (ascending). */
export function debtDenoms(store: KvStore, addr: string): string[] {
  return DEBTS.entries(store, [addr]).map((e) => e.key[1]!);
}

/** `Uint128::checked_sub` with cosmwasm's overflow text (`prefix` "Overflow: " when it passed through StdError). */
export function checkedSub(a: bigint, b: bigint, prefix = ""): bigint {
  if (b > a) throw new ContractError(`${prefix}Cannot Sub with ${a} and ${b}`);
  return a - b;
}
