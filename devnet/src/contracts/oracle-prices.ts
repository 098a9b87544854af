import { dec, decStr } from "../math/decimal.js";
import type { KvStore } from "../state/kv-store.js";
import { JsonMap } from "../state/storage.js";
import { ContractError } from "./host.js";

/**
 * Price resolution of the oracle model (spec §5, §10 "Oracle") and its devnet-only extension.
 *
 * Real state: Map `price_sources` (denom → the Osmosis/wasm oracle's typed source, here always
 * `{"fixed":{"price":"0.5"}}`). The `fixed` price is the `default` price of the denom.
 *
 * Devnet-only state, in the oracle's own store so it is journaled, rolled back with a failed
 * transaction and visible to raw state scans (no real oracle has these namespaces):
 * - Map `devnet_liquidation_price` (denom → Decimal string): the `liquidation` kind's price when it
 *   differs from the `default` one (absent: both kinds answer the `fixed` price);
 * - Map `devnet_stale` (denom → `{"since":<unix seconds>}`): the `default` kind fails as a stale
 *   Pyth feed does, while `liquidation` still answers (Pyth's liquidation kind skips the
 *   confidence/deviation checks, spec §5).
 */

/** The only price source kind the devnet models: `{"fixed":{"price":".."}}`. */
export interface FixedPriceSource {
  fixed: { price: string };
}

/** `ActionKind` of the oracle's `price` query. */
export type PriceKind = "default" | "liquidation";

/** The oracle's `price_sources` Map (spec §5 storage). */
export const PRICE_SOURCES = new JsonMap<FixedPriceSource>("price_sources", 1);
/** Devnet-only: liquidation-kind price overrides. */
export const DEVNET_LIQUIDATION_PRICE = new JsonMap<string>("devnet_liquidation_price", 1);
/** Devnet-only: denoms whose `default` price is stale, and since when. */
export const DEVNET_STALE = new JsonMap<{ since: number }>("devnet_stale", 1);

/** A price update of the devnet admin API: a string sets both kinds; an object sets either kind. */
export type PriceUpdate = string | { default?: string; liquidation?: string };

/**
 * Sets prices outside any message (admin API, scenario engine):
 * - `"0.5"` or `{default:"0.5"}`: the fixed source becomes 0.5 and the liquidation override is dropped;
 * - `{default:"0.5", liquidation:"0.45"}`: default 0.5, liquidation 0.45;
 * - `{liquidation:"0.45"}`: only the liquidation kind changes (needs an existing source).
 */
export function setPrice(store: KvStore, denom: string, update: PriceUpdate): void {
  const u = typeof update === "string" ? { default: update } : update;
  if (u.default === undefined && u.liquidation === undefined) throw new Error("setPrice: give a default or a liquidation price");
  if (u.default !== undefined) {
    PRICE_SOURCES.save(store, { fixed: { price: normalize(u.default) } }, denom);
    if (u.liquidation === undefined) DEVNET_LIQUIDATION_PRICE.remove(store, denom);
  } else if (!PRICE_SOURCES.load(store, denom)) {
    throw new Error(`setPrice: ${denom} has no price source; set its default price first`);
  }
  if (u.liquidation !== undefined) DEVNET_LIQUIDATION_PRICE.save(store, normalize(u.liquidation), denom);
}

/** Makes the `default` price of `denom` fail as stale (`stale = true`) from `now` on, or answer again. */
export function setStale(store: KvStore, denom: string, stale: boolean, now: number): void {
  if (stale) DEVNET_STALE.save(store, { since: now }, denom);
  else DEVNET_STALE.remove(store, denom);
}

/**
 * The price of `denom` for `kind` at unix time `now`, as 18-digit atomics; throws the oracle's
 * errors: "Generic error: No price source found for denom: X" and, for a stale default price,
 * Pyth's "Invalid price: current price publish time is too old/stale. published: T, now: N".
 */
export function resolvePrice(store: KvStore, denom: string, kind: PriceKind, now: number): bigint {
  const source = PRICE_SOURCES.load(store, denom);
  if (!source) throw new ContractError(`Generic error: No price source found for denom: ${denom}`);
  return priceFromSource(store, denom, source, kind, now);
}

/** The price a known source answers for `kind` (see {@link resolvePrice}). */
export function priceFromSource(store: KvStore, denom: string, source: FixedPriceSource, kind: PriceKind, now: number): bigint {
  if (kind === "liquidation") {
    const override = DEVNET_LIQUIDATION_PRICE.load(store, denom);
    return dec(override ?? source.fixed.price);
  }
  const stale = DEVNET_STALE.load(store, denom);
  if (stale) {
    throw new ContractError(`Invalid price: current price publish time is too old/stale. published: ${stale.since}, now: ${now}`);
  }
  return dec(source.fixed.price);
}

function normalize(price: string): string {
  return decStr(dec(price));
}
