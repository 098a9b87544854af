import { ContractError, variant } from "../host.js";
import type { KvStore } from "../../state/kv-store.js";
import { Item, JsonMap } from "../../state/storage.js";
import type { Fields } from "../mars-core/msg-fields.js";
import { loadPool, poolForPair } from "./pools.js";

/**
 * Swapper routes (spec §7). Stored per (denom_in, denom_out) in the Map `routes` in the
 * DEX-specific form: osmosis `[{"pool_id":1,"token_out_denom":"uatom"}]`, astroport
 * `{"operations":[{"astro_swap":{"offer_asset_info":{"native_token":{"denom":..}},"ask_asset_info":{..}}}],
 * "router","factory","oracle"}`. Messages carry the input form `SwapperRoute`:
 * `{"osmo":{"swaps":[{"pool_id","to"}]}}` or `{"astro":{"swaps":[{"from","to"}]}}`.
 */

/** Osmosis stored route. */
export type OsmosisRoute = { pool_id: number; token_out_denom: string }[];

/** Astroport swap operation. */
export interface AstroSwapOperation {
  astro_swap: { offer_asset_info: { native_token: { denom: string } }; ask_asset_info: { native_token: { denom: string } } };
}

/** Astroport stored route. */
export interface AstroportRoute {
  operations: AstroSwapOperation[];
  router: string;
  factory: string;
  oracle: string;
}

/** Astroport swapper config. */
export interface AstroportConfig {
  router: string;
  factory: string;
  oracle: string;
}

/** A stored route of either DEX. */
export type StoredRoute = OsmosisRoute | AstroportRoute;

/** Map `routes`: (denom_in, denom_out) → stored route. */
export const ROUTES = new JsonMap<StoredRoute>("routes", 2);
/** Item `config`: [NTRN] the astroport config (osmosis has none). */
export const CONFIG = new Item<AstroportConfig | Record<string, never>>("config");

/** One hop through a pool: the pool id and the denoms in and out. */
export interface Hop {
  poolId: number;
  from: string;
  to: string;
}

function invalid(reason: string): ContractError {
  return new ContractError(`Invalid route: ${reason}`);
}

/** Converts a message `SwapperRoute` to the stored form (`Route::from`). */
export function routeFromMessage(store: KvStore, neutron: boolean, route: unknown): StoredRoute {
  const [name, body] = variant(route);
  const swaps = (body as Fields)["swaps"];
  if (!Array.isArray(swaps)) throw invalid("the route must contain at least one step");
  if (!neutron) {
    if (name !== "osmo") throw invalid(name === "astro" ? "AstroRoute not supported" : `${name} route not supported`);
    return swaps.map((s: { pool_id?: unknown; to?: unknown }) => {
      if (typeof s.pool_id !== "number" || typeof s.to !== "string") throw invalid("osmo swaps need pool_id (number) and to (denom)");
      return { pool_id: s.pool_id, token_out_denom: s.to };
    });
  }
  if (name !== "astro") throw invalid(name === "osmo" ? "OsmosisRoute not supported" : `${name} route not supported`);
  const config = CONFIG.load(store);
  if (!config || !("router" in config)) throw invalid("AstroportConfig not set");
  return {
    operations: swaps.map((s: { from?: unknown; to?: unknown }) => {
      if (typeof s.from !== "string" || typeof s.to !== "string") throw invalid("astro swaps need from and to denoms");
      return { astro_swap: { offer_asset_info: { native_token: { denom: s.from } }, ask_asset_info: { native_token: { denom: s.to } } } };
    }),
    router: config.router,
    factory: config.factory,
    oracle: config.oracle,
  };
}

/** The hops of a stored route starting from `denomIn`, resolved to pools. */
export function hopsOf(store: KvStore, route: StoredRoute, denomIn: string): Hop[] {
  if (Array.isArray(route)) {
    let from = denomIn;
    return route.map((s) => {
      const hop = { poolId: s.pool_id, from, to: s.token_out_denom };
      loadPool(store, s.pool_id);
      from = s.token_out_denom;
      return hop;
    });
  }
  return route.operations.map((op) => {
    const from = op.astro_swap.offer_asset_info.native_token.denom;
    const to = op.astro_swap.ask_asset_info.native_token.denom;
    return { poolId: poolForPair(store, from, to).id, from, to };
  });
}

/** `Route::validate`: non-empty, each pool holds its hop's denoms, no loops, ends at `denomOut`. */
export function validateRoute(store: KvStore, route: StoredRoute, denomIn: string, denomOut: string): void {
  const hops = hopsOf(store, route, denomIn);
  if (hops.length === 0) throw invalid("the route must contain at least one step");
  const seen = new Set([denomIn]);
  let prev = denomIn;
  hops.forEach((h, i) => {
    const pool = loadPool(store, h.poolId);
    if (h.from !== prev) throw invalid(`step ${i + 1}: input denom ${h.from} does not follow ${prev}`);
    if (!pool.denoms.includes(h.from)) throw invalid(`step ${i + 1}: pool ${h.poolId} does not contain input denom ${h.from}`);
    if (!pool.denoms.includes(h.to)) throw invalid(`step ${i + 1}: pool ${h.poolId} does not contain output denom ${h.to}`);
    if (seen.has(h.to)) throw invalid(`route contains a loop: denom ${h.to} seen twice`);
    seen.add(h.to);
    prev = h.to;
  });
  if (prev !== denomOut) throw invalid(`the route's output denom ${prev} does not match the desired output ${denomOut}`);
}

/** The stored route for a pair or `No route found from {from} to {to}`. */
export function storedRoute(store: KvStore, denomIn: string, denomOut: string): StoredRoute {
  const r = ROUTES.load(store, denomIn, denomOut);
  if (!r) throw new ContractError(`No route found from ${denomIn} to ${denomOut}`);
  return r;
}
