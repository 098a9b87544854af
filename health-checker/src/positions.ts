/**
 * The positions one health checker holds: per owned shard, account → decoded cached position.
 * Red Bank positions are the math's `RedBankPosition` as they are; credit accounts keep shares and
 * scaled lends, turned into amounts once per block with the block's indexes and debt pool.
 */
import {
  decodeCreditAccount,
  decodeRedBankPosition,
  MalformedPositionError,
  splitCacheValue,
  type CachedCreditAccount,
  type CachedPosition,
  type CachedRedBankPosition,
  type Product,
} from "@mlb/shared";

export type Shard = Map<string, CachedPosition>;

/** Decodes a cache value of `product`; throws `MalformedPositionError`. */
export function decodePosition(product: Product, account: string, value: string): CachedPosition {
  const { payload } = splitCacheValue(account, value);
  return product === "redbank" ? decodeRedBankPosition(account, payload) : decodeCreditAccount(account, payload);
}

export function isRedBank(p: CachedPosition): p is CachedRedBankPosition {
  return "collaterals" in p;
}

export function isCreditAccount(p: CachedPosition): p is CachedCreditAccount {
  return "debtShares" in p;
}

export { MalformedPositionError };
