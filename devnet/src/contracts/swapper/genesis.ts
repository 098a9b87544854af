import type { World } from "../../state/world.js";
import { dec } from "../../math/decimal.js";
import { POOL_ORACLE, addPool, genesisLiquidity, listPools, type PoolSpec } from "./pools.js";
import { setRoute, SwapperModel } from "./contract.js";

/**
 * Genesis of the swapper's market (spec §7, devnet pools of `pools.ts`): pools, routes and the
 * bank balance the swapper pays outputs from.
 */

/** A route to store: `route` in message form, `{"osmo":{"swaps":[{"pool_id","to"}]}}` or `{"astro":{"swaps":[{"from","to"}]}}`. */
export interface RouteSpec {
  denomIn: string;
  denomOut: string;
  route: unknown;
}

/** Options of {@link setUpSwapperMarket}. */
export interface SwapperMarketOptions {
  pools: PoolSpec[];
  /** Routes to store; default: {@link directRoutes} of the pools. */
  routes?: RouteSpec[];
  /** Mint `multiple` × each pool side's centred reserve to the swapper (default 1000; 0 to skip). */
  liquidityMultiple?: bigint;
}

/**
 * Creates the pools, stores the routes and mints the swapper's payout liquidity, valuing the
 * pools at the oracle's current `default` prices. Returns the minted coins.
 */
export function setUpSwapperMarket(world: World, swapper: string, o: SwapperMarketOptions): { denom: string; amount: bigint }[] {
  const inst = world.instance(swapper);
  if (!(inst.model instanceof SwapperModel)) throw new Error(`setUpSwapperMarket: ${swapper} is not a swapper model`);
  const variant = inst.model.variant;
  for (const p of o.pools) addPool(inst.store, p);
  for (const r of o.routes ?? directRoutes(variant, o.pools)) setRoute(inst.store, variant, r.denomIn, r.denomOut, r.route);
  const multiple = o.liquidityMultiple ?? 1_000n;
  if (multiple === 0n) return [];
  const oracle = POOL_ORACLE.load(inst.store)!;
  const prices = new Map<string, bigint>();
  for (const p of listPools(inst.store)) {
    for (const d of p.denoms) {
      if (!prices.has(d)) prices.set(d, dec(world.query<{ price: string }>(oracle, { price: { denom: d, kind: "default" } }).price));
    }
  }
  const coins = genesisLiquidity(inst.store, prices, multiple);
  for (const c of coins) world.bank.mint(swapper, c.denom, c.amount);
  return coins;
}

/** One-hop routes in both directions for every pool (osmo: by pool id; astro: by pair). */
export function directRoutes(variant: "osmosis" | "neutron", pools: readonly PoolSpec[]): RouteSpec[] {
  const out: RouteSpec[] = [];
  for (const p of pools) {
    for (const [a, b] of [p.denoms, [p.denoms[1], p.denoms[0]] as const]) {
      const route = variant === "osmosis" ? { osmo: { swaps: [{ pool_id: p.id, to: b }] } } : { astro: { swaps: [{ from: a, to: b }] } };
      out.push({ denomIn: a, denomOut: b, route });
    }
  }
  return out;
}
