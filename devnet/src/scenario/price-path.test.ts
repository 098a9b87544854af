import { describe, expect, it } from "vitest";
import { PricePath, DEFAULT_PRICE_PATH } from "./price-path.js";

const genesis = { uosmo: "0.5", uusdc: "1", weth: "0.000000003" };

describe("PricePath", () => {
  it("idle keeps genesis prices", () => {
    const p = new PricePath({ ...DEFAULT_PRICE_PATH, scenario: "idle", seed: 1 }, genesis, ["uusdc"]);
    expect(p.prices(100)).toEqual(genesis);
  });

  it("crash drops every non-stable asset exactly at the crash height, and can recover linearly", () => {
    const p = new PricePath({ ...DEFAULT_PRICE_PATH, scenario: "crash", seed: 1, crashAtBlock: 5, crashPct: 30, recoverBlocks: 10 }, genesis, ["uusdc"]);
    expect(p.prices(4)).toEqual(genesis);
    expect(p.prices(5)).toEqual({ uosmo: "0.35", uusdc: "1", weth: "0.0000000021" });
    expect(p.price("uosmo", 10)).toBe("0.425");
    expect(p.price("uosmo", 15)).toBe("0.5");
  });

  it("random walk is reproducible from the seed and bounded per block", () => {
    const opts = { ...DEFAULT_PRICE_PATH, scenario: "random-walk" as const, seed: 7, walkBps: 100 };
    const a = new PricePath(opts, genesis, ["uusdc"]);
    const b = new PricePath(opts, genesis, ["uusdc"]);
    expect(a.price("weth", 50)).toBe(b.price("weth", 50));
    expect(a.price("uosmo", 30)).toBe(new PricePath(opts, genesis, ["uusdc"]).price("uosmo", 30));
    expect(a.price("uusdc", 50)).toBe("1");
    for (let h = 1; h < 50; h++) {
      const prev = Number(a.price("uosmo", h - 1));
      const next = Number(a.price("uosmo", h));
      expect(Math.abs(next / prev - 1)).toBeLessThanOrEqual(0.0101);
    }
    expect(new PricePath({ ...opts, seed: 8 }, genesis, ["uusdc"]).price("uosmo", 50)).not.toBe(a.price("uosmo", 50));
  });
});
