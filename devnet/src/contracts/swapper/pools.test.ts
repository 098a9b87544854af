import { describe, expect, it } from "vitest";
import { dec } from "../../math/decimal.js";
import { Journal } from "../../state/journal.js";
import { KvStore } from "../../state/kv-store.js";
import { addPool, genesisLiquidity, loadPool, ratioEstimate, swapThroughPool } from "./pools.js";

/** The devnet's oracle-following constant-product pools. */

const prices: [bigint, bigint] = [dec("0.5"), dec("1")];

function pool() {
  const store = new KvStore(new Journal());
  addPool(store, { id: 7, denoms: ["uosmo", "uusdc"], depthUsd: 1_000n, feeBps: 30 });
  return store;
}

describe("pools", () => {
  it("centres reserves on half the depth at oracle prices and applies x·y=k with the fee", () => {
    const store = pool();
    const out = swapThroughPool(store, loadPool(store, 7), "uosmo", 1_000_000n, prices, 5);
    // reserves 1e9 uosmo / 5e8 uusdc
    expect(out).toBe((500_000_000n * 1_000_000n * 9_970n) / (1_000_000_000n * 10_000n + 1_000_000n * 9_970n));
    expect(loadPool(store, 7)).toMatchObject({ reserves: ["1001000000", (500_000_000n - out).toString()], centred: { height: 5, prices: ["0.5", "1"] } });
    // same block: depleted; next block: re-centred
    expect(swapThroughPool(store, loadPool(store, 7), "uosmo", 1_000_000n, prices, 5)).toBeLessThan(out);
    expect(swapThroughPool(store, loadPool(store, 7), "uosmo", 1_000_000n, prices, 6)).toBe(out);
  });

  it("refuses swaps that yield nothing and denoms the pool lacks", () => {
    const store = pool();
    expect(() => swapThroughPool(store, loadPool(store, 7), "uosmo", 1n, prices, 1)).toThrow(/yields nothing/);
    expect(() => swapThroughPool(store, loadPool(store, 7), "uatom", 10n, prices, 1)).toThrow("pool 7 does not contain uatom");
  });

  it("estimates by oracle ratio and sizes genesis liquidity", () => {
    expect(ratioEstimate(2_616_776_062n, dec("0.5"), dec("1"))).toBe(1_308_388_031n);
    expect(ratioEstimate(10n, dec("1"), dec("3"))).toBe(3n);
    const store = pool();
    expect(genesisLiquidity(store, new Map([["uosmo", dec("0.5")], ["uusdc", dec("1")]]), 10n)).toEqual([
      { denom: "uosmo", amount: 10_000_000_000n },
      { denom: "uusdc", amount: 5_000_000_000n },
    ]);
  });
});
