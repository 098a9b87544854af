import { ContractError } from "../../host.js";
import type { BigCoin } from "./coin.js";

/**
 * Rust `Display`/`Debug` renderings that appear inside the Mars error strings (cosmwasm-std 1.5,
 * spec §6.5 error list), so the models' errors match the chain's texts byte for byte.
 */

/** `{:?}` of a `Uint128`: `Uint128(123)`. */
export const debugUint = (x: bigint): string => `Uint128(${x})`;

/** `{:?}` of a `String`: the quoted string. */
export const debugString = (s: string): string => JSON.stringify(s);

/** `Display` of a `Coin`: `123uosmo`. */
export const coinString = (c: BigCoin): string => `${c.amount}${c.denom}`;

/** `{:?}` of a cosmwasm-std 1.5 `Coin` (derived Debug). */
export const debugCoin = (c: BigCoin): string => `Coin { denom: ${debugString(c.denom)}, amount: ${debugUint(c.amount)} }`;

/** `Display` of `Coins` (sorted by denom, comma-separated). */
export function coinsString(coins: Iterable<BigCoin>): string {
  return [...coins]
    .sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0))
    .map(coinString)
    .join(",");
}

/** `Uint128::checked_sub`, failing with cosmwasm-std's OverflowError text. */
export function checkedSub(a: bigint, b: bigint): bigint {
  if (b > a) throw new ContractError(`Cannot Sub with ${a} and ${b}`);
  return a - b;
}
