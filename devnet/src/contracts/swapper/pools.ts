import { ContractError } from "../host.js";
import { decDiv, decStr, divFloor, mulFloor } from "../../math/decimal.js";
import type { KvStore } from "../../state/kv-store.js";
import { Item, JsonMap } from "../../state/storage.js";

/**
 * [devnet] The DEX behind the swapper: constant-product pools (x·y = k, equal weights, swap fee
 * in basis points) whose reserves FOLLOW THE ORACLE. A pool is re-centred — both sides set to
 * half its USD depth at the oracle's `default` prices — at the first swap of every block, and
 * again whenever the oracle prices differ from those it was centred on; between re-centrings
 * swaps deplete it (so several swaps in one block see growing price impact). Each swap thus
 * starts from a mid price equal to the oracle's price ratio, then pays the fee and the
 * constant-product impact: `out = floor(y·a·(1e4−fee) / (x·1e4 + a·(1e4−fee)))`.
 * Reserves are virtual: payouts come from the swapper's bank balance, funded at genesis
 * (see {@link genesisLiquidity}). Pools live in the swapper's store under `devnet_pools`
 * (a namespace the real swapper does not have: on chain, pools are in the DEX module).
 */

/** A pool as stored. Reserves are those of the last swap, with the prices they were centred on. */
export interface Pool {
  id: number;
  denoms: [string, string];
  /** Total pool value in whole USD when centred (each side holds half). */
  depth_usd: string;
  fee_bps: number;
  reserves: [string, string];
  /** Block height and oracle prices the reserves were last centred on (null: never). */
  centred: { height: number; prices: [string, string] } | null;
}

/** What genesis passes to create a pool. */
export interface PoolSpec {
  id: number;
  denoms: [string, string];
  /** Total pool value in whole USD, e.g. 10_000_000n for $10M. */
  depthUsd: bigint;
  /** Swap fee in basis points, e.g. 20 = 0.2 %. */
  feeBps: number;
}

/** [devnet] Map `devnet_pools`: pool id → {@link Pool}. */
export const POOLS = new JsonMap<Pool>("devnet_pools", 1);
/** [devnet] The oracle the pools follow. */
export const POOL_ORACLE = new Item<string>("devnet_oracle");

/** Creates (or replaces) a pool. Pool ids are decimal-string keys; denoms must differ. */
export function addPool(store: KvStore, spec: PoolSpec): void {
  if (spec.denoms[0] === spec.denoms[1]) throw new Error(`pool ${spec.id}: denoms must differ`);
  if (spec.feeBps < 0 || spec.feeBps >= 10_000) throw new Error(`pool ${spec.id}: fee_bps must be in [0, 10000)`);
  if (spec.depthUsd <= 0n) throw new Error(`pool ${spec.id}: depth must be positive`);
  POOLS.save(store, { id: spec.id, denoms: spec.denoms, depth_usd: spec.depthUsd.toString(), fee_bps: spec.feeBps, reserves: ["0", "0"], centred: null }, String(spec.id));
}

/** A stored pool or a clear error. */
export function loadPool(store: KvStore, id: number): Pool {
  const p = POOLS.load(store, String(id));
  if (!p) throw new ContractError(`pool ${id} not found`);
  return p;
}

/** All pools, in key order. */
export function listPools(store: KvStore): Pool[] {
  return POOLS.entries(store).map((e) => e.value);
}

/** The pool holding exactly the two denoms (astroport pair lookup). */
export function poolForPair(store: KvStore, a: string, b: string): Pool {
  const p = listPools(store).find((x) => (x.denoms[0] === a && x.denoms[1] === b) || (x.denoms[0] === b && x.denoms[1] === a));
  if (!p) throw new ContractError(`devnet swapper: no pool for the pair ${a}/${b}`);
  return p;
}

/** Reserves of one side at depth: half the depth (uusd) at `price` (uusd per base unit). */
function centredReserve(depthUsd: bigint, price: bigint): bigint {
  return divFloor(depthUsd * 1_000_000n / 2n, price);
}

/**
 * Swaps `amountIn` of `denomIn` through the pool at oracle prices `prices` (atomics, in the
 * pool's denom order) in block `height`; updates the stored reserves and returns the output.
 */
export function swapThroughPool(store: KvStore, pool: Pool, denomIn: string, amountIn: bigint, prices: [bigint, bigint], height: number): bigint {
  if (!pool.denoms.includes(denomIn)) throw new ContractError(`pool ${pool.id} does not contain ${denomIn}`);
  const inIdx: 0 | 1 = pool.denoms[0] === denomIn ? 0 : 1;
  const outIdx: 0 | 1 = inIdx === 0 ? 1 : 0;
  const priceStrs: [string, string] = [decStr(prices[0]), decStr(prices[1])];
  let reserves: [bigint, bigint] = [BigInt(pool.reserves[0]), BigInt(pool.reserves[1])];
  const c = pool.centred;
  if (!c || c.height !== height || c.prices[0] !== priceStrs[0] || c.prices[1] !== priceStrs[1]) {
    const depth = BigInt(pool.depth_usd);
    reserves = [centredReserve(depth, prices[0]), centredReserve(depth, prices[1])];
  }
  const x = reserves[inIdx];
  const y = reserves[outIdx];
  const aEff = amountIn * BigInt(10_000 - pool.fee_bps);
  const out = (y * aEff) / (x * 10_000n + aEff);
  if (out === 0n) throw new ContractError(`devnet swapper: swapping ${amountIn}${denomIn} in pool ${pool.id} yields nothing`);
  reserves[inIdx] = x + amountIn;
  reserves[outIdx] = y - out;
  POOLS.save(store, { ...pool, reserves: [reserves[0].toString(), reserves[1].toString()], centred: { height, prices: priceStrs } }, String(pool.id));
  return out;
}

/**
 * Bank balances the swapper should get at genesis so payouts never run dry: for every pool side,
 * `multiple` × its centred reserve at the given prices (atomics by denom), summed per denom.
 */
export function genesisLiquidity(store: KvStore, prices: ReadonlyMap<string, bigint>, multiple = 1_000n): { denom: string; amount: bigint }[] {
  const totals = new Map<string, bigint>();
  for (const p of listPools(store)) {
    for (const d of p.denoms) {
      const price = prices.get(d);
      if (price === undefined) throw new Error(`genesisLiquidity: no price for ${d}`);
      totals.set(d, (totals.get(d) ?? 0n) + centredReserve(BigInt(p.depth_usd), price) * multiple);
    }
  }
  return [...totals].map(([denom, amount]) => ({ denom, amount }));
}

/** Oracle-ratio estimate of one hop: `floor(amount · (p_in / p_out))` (Decimal division floors). */
export function ratioEstimate(amount: bigint, priceIn: bigint, priceOut: bigint): bigint {
  return mulFloor(amount, decDiv(priceIn, priceOut));
}
