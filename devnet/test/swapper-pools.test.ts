import { describe, expect, it } from "vitest";
import { addPool } from "../src/contracts/swapper/pools.js";
import { setRoute } from "../src/contracts/swapper/contract.js";
import { errorOf } from "./red-bank-fixture.js";
import { POOL_ID, expectedPoolOut, roverFixture, type RoverFixture } from "./credit-manager-fixture.js";

/**
 * The swapper model (spec §7) over the devnet's oracle-following constant-product pools: the
 * fixture pool 678 `gas/neutral` ($10M deep, 0.2 % fee) at gas 0.5, neutral 1.
 */

const HALF = { num: 1n, den: 2n };
const ONE = { num: 1n, den: 1n };

function swap(f: RoverFixture, amount: string, minReceive = "1", route: unknown = null, funds = amount) {
  const before = f.world.bank.balance(f.user, f.neutral);
  const events = f.exec(f.user, f.r.swapper, { swap_exact_in: { coin_in: { denom: f.gas, amount }, denom_out: f.neutral, min_receive: minReceive, route } }, [
    { denom: f.gas, amount: funds },
  ]);
  return { out: f.world.bank.balance(f.user, f.neutral) - before, events };
}

for (const variant of ["osmosis", "neutron"] as const) {
  describe(`${variant} swapper`, () => {
    it("estimate_exact_in_swap is the oracle ratio without slippage or fees", () => {
      const f = roverFixture(variant);
      const est = (coin: string, denomIn: string, denomOut: string, route: unknown = null) =>
        f.query<{ amount: string }>(f.r.swapper, { estimate_exact_in_swap: { coin_in: { denom: denomIn, amount: coin }, denom_out: denomOut, route } });
      expect(est("2616776062", f.gas, f.neutral)).toEqual({ amount: "1308388031" });
      expect(est("1000", f.neutral, f.gas, f.route(f.neutral, f.gas))).toEqual({ amount: "2000" });
      expect(errorOf(() => est("1", f.gas, "uatom"))).toBe(`No route found from ${f.gas} to uatom`);
    });

    it("swaps at the oracle mid price with the pool fee and constant-product impact", () => {
      const f = roverFixture(variant);
      const { out, events } = swap(f, "2616776062");
      expect(out).toBe(expectedPoolOut(2_616_776_062n, HALF, ONE));
      const attrs = events.find((e) => e.type === "wasm" && e.attributes[0]?.value === f.r.swapper)!.attributes;
      expect(attrs.slice(1)).toEqual([
        { key: "action", value: "swap_fn" },
        { key: "denom_in", value: f.gas },
        { key: "amount_in", value: "2616776062" },
        { key: "denom_out", value: f.neutral },
        { key: "min_receive", value: "1" },
      ]);
    });

    it("depletes a pool within a block, re-centres it next block and when the oracle moves", () => {
      const f = roverFixture(variant);
      f.world.bank.mint(f.user, f.gas, 10n ** 12n);
      const first = swap(f, "100000000000").out;
      const second = swap(f, "100000000000").out;
      expect(second).toBeLessThan(first);
      f.world.block = { ...f.world.block, height: f.world.block.height + 1 };
      expect(swap(f, "100000000000").out).toBe(first);
      swap(f, "100000000000");
      f.setPrice(f.gas, "0.6");
      expect(swap(f, "100000000000").out).toBe(expectedPoolOut(100_000_000_000n, { num: 3n, den: 5n }, ONE));
    });

    it("fails below min_receive with the DEX's text and leaves no trace", () => {
      const f = roverFixture(variant);
      const out = expectedPoolOut(1_000_000n, HALF, ONE);
      const msg = errorOf(() => swap(f, "1000000", (out + 1n).toString()));
      expect(msg).toBe(
        variant === "osmosis"
          ? `token amount calculated (${out}) is lesser than min amount (${out + 1n}): calculated amount is lesser than min amount`
          : `Assertion failed; minimum receive amount: ${out + 1n}, swap amount: ${out}`,
      );
      expect(swap(f, "1000000", out.toString()).out).toBe(out);
    });

    it("needs coin_in as funds and returns leftover input", () => {
      const f = roverFixture(variant);
      expect(errorOf(() => swap(f, "1000", "1", null, "999"))).toMatch(/funds must carry coin_in/);
      const gasBefore = f.world.bank.balance(f.user, f.gas);
      swap(f, "1000", "1", null, "1500");
      expect(gasBefore - f.world.bank.balance(f.user, f.gas)).toBe(1000n);
    });

    it("route and routes return the stored form; set_route is owner-only and validated", () => {
      const f = roverFixture(variant);
      const stored =
        variant === "osmosis"
          ? [{ pool_id: POOL_ID, token_out_denom: f.neutral }]
          : {
              operations: [{ astro_swap: { offer_asset_info: { native_token: { denom: f.gas } }, ask_asset_info: { native_token: { denom: f.neutral } } } }],
              router: f.c.oracle,
              factory: f.c.oracle,
              oracle: f.c.oracle,
            };
      expect(f.query(f.r.swapper, { route: { denom_in: f.gas, denom_out: f.neutral } })).toEqual({ denom_in: f.gas, denom_out: f.neutral, route: stored });
      const routes = f.query<{ denom_in: string }[]>(f.r.swapper, { routes: { start_after: null, limit: 10 } });
      expect(routes.map((r) => r.denom_in).sort()).toEqual([f.gas, f.neutral].sort());
      expect(f.query(f.r.swapper, { config: {} })).toEqual(variant === "osmosis" ? null : { router: f.c.oracle, factory: f.c.oracle, oracle: f.c.oracle });
      expect(errorOf(() => f.exec(f.user, f.r.swapper, { set_route: { denom_in: f.gas, denom_out: f.neutral, route: stored } }))).toBe("Caller is not owner");
      const wrong = variant === "osmosis" ? [{ pool_id: POOL_ID, token_out_denom: "uatom" }] : stored;
      if (variant === "osmosis") {
        expect(errorOf(() => f.exec(f.owner, f.r.swapper, { set_route: { denom_in: f.gas, denom_out: "uatom", route: wrong } }))).toBe(
          `Invalid route: step 1: pool ${POOL_ID} does not contain output denom uatom`,
        );
      }
      const wrongKind = variant === "osmosis" ? { astro: { swaps: [{ from: f.gas, to: f.neutral }] } } : { osmo: { swaps: [{ pool_id: POOL_ID, to: f.neutral }] } };
      expect(errorOf(() => swap(f, "1000", "1", wrongKind))).toBe(`Invalid route: ${variant === "osmosis" ? "AstroRoute" : "OsmosisRoute"} not supported`);
    });
  });
}

describe("osmosis multi-hop routes", () => {
  it("swaps and estimates hop by hop (uatom → gas → neutral)", () => {
    const f = roverFixture("osmosis");
    f.setPrice("uatom", "8");
    const store = f.world.instance(f.r.swapper).store;
    addPool(store, { id: 1, denoms: ["uatom", f.gas], depthUsd: 2_000_000n, feeBps: 30 });
    const route = { osmo: { swaps: [{ pool_id: 1, to: f.gas }, { pool_id: POOL_ID, to: f.neutral }] } };
    setRoute(store, "osmosis", "uatom", f.neutral, route);
    f.world.bank.mint(f.r.swapper, f.gas, 10n ** 15n);
    f.world.bank.mint(f.user, "uatom", 1_000_000_000n);
    expect(f.query(f.r.swapper, { estimate_exact_in_swap: { coin_in: { denom: "uatom", amount: "1000000" }, denom_out: f.neutral, route: null } })).toEqual({
      amount: "8000000",
    });
    // hop 1: reserves uatom 1e12/8, gas 1e12/0.5, fee 0.3 %
    const x1 = 1_000_000_000_000n / 8n;
    const y1 = 2_000_000_000_000n;
    const a1 = 1_000_000n * 9_970n;
    const mid = (y1 * a1) / (x1 * 10_000n + a1);
    const before = f.world.bank.balance(f.user, f.neutral);
    f.exec(f.user, f.r.swapper, { swap_exact_in: { coin_in: { denom: "uatom", amount: "1000000" }, denom_out: f.neutral, min_receive: "1", route: null } }, [
      { denom: "uatom", amount: "1000000" },
    ]);
    expect(f.world.bank.balance(f.user, f.neutral) - before).toBe(expectedPoolOut(mid, HALF, ONE));
  });
});
