import { describe, expect, it } from "vitest";
import type { OracleModel } from "../src/contracts/oracle.js";
import { DEVNET_LIQUIDATION_PRICE, DEVNET_STALE, PRICE_SOURCES } from "../src/contracts/oracle-prices.js";
import { errorOf, fixture, type Fixture } from "./red-bank-fixture.js";

/** The oracle model (spec §5, §10 "Oracle") and its devnet-only price controls. */

function oracle(f: Fixture): { model: OracleModel; store: ReturnType<Fixture["world"]["instance"]>["store"] } {
  const inst = f.world.instance(f.c.oracle);
  return { model: inst.model as OracleModel, store: inst.store };
}

const price = (f: Fixture, denom: string, kind?: string | null) => f.query<{ denom: string; price: string }>(f.c.oracle, { price: { denom, kind } });

describe.each(["osmosis", "neutron"] as const)("%s oracle", (variant) => {
  it("owner sets fixed sources, stored as the Osmosis oracle stores them", () => {
    const f = fixture(variant);
    expect(errorOf(() => f.exec(f.user, f.c.oracle, { set_price_source: { denom: "uatom", price_source: { fixed: { price: "8" } } } }))).toBe("Caller is not owner");
    f.exec(f.owner, f.c.oracle, { set_price_source: { denom: "uatom", price_source: { fixed: { price: "8.50" } } } });
    const raw = f.world.instance(f.c.oracle).store.get(PRICE_SOURCES.key("uatom"));
    expect(raw).toBe('{"fixed":{"price":"8.5"}}');
    expect(Buffer.from(PRICE_SOURCES.key("uatom"), "latin1").toString("hex")).toBe(`000d${Buffer.from("price_sources").toString("hex")}${Buffer.from("uatom").toString("hex")}`);
    expect(f.query(f.c.oracle, { price_source: { denom: "uatom" } })).toEqual({ denom: "uatom", price_source: { fixed: { price: "8.5" } } });
    expect(price(f, "uatom")).toEqual({ denom: "uatom", price: "8.5" });
    expect(price(f, "uatom", "default")).toEqual({ denom: "uatom", price: "8.5" });
    expect(price(f, "uatom", "liquidation")).toEqual({ denom: "uatom", price: "8.5" });
    expect(f.query(f.c.oracle, { config: {} })).toEqual({ owner: f.owner, proposed_new_owner: null, base_denom: "uusd" });
    f.exec(f.owner, f.c.oracle, { remove_price_source: { denom: "uatom" } });
    expect(errorOf(() => price(f, "uatom"))).toBe("Generic error: No price source found for denom: uatom");
  });

  it("only fixed sources; bad kinds and denoms are refused", () => {
    const f = fixture(variant);
    expect(errorOf(() => f.exec(f.owner, f.c.oracle, { set_price_source: { denom: "uatom", price_source: { pyth: {} } } }))).toMatch(/only `fixed` price sources, got `pyth`/);
    expect(errorOf(() => f.exec(f.owner, f.c.oracle, { set_price_source: { denom: "1x", price_source: { fixed: { price: "1" } } } }))).toBe(
      "Invalid denom: Invalid denom length",
    );
    f.setPrice("uatom", "1");
    expect(errorOf(() => price(f, "uatom", "fast"))).toMatch(/unknown variant `fast`, expected one of `default`, `liquidation`/);
  });

  it("prices pages (default 10, max 30, start_after exclusive); one failing source fails the page", () => {
    const f = fixture(variant);
    const denoms = Array.from({ length: 35 }, (_, i) => `udenom${String(i).padStart(2, "0")}`);
    for (const [i, d] of denoms.entries()) f.setPrice(d, `${i + 1}`);
    const names = (l: { denom: string }[]) => l.map((p) => p.denom);
    expect(names(f.query(f.c.oracle, { prices: {} }))).toEqual(denoms.slice(0, 10));
    expect(names(f.query(f.c.oracle, { prices: { limit: 50 } }))).toEqual(denoms.slice(0, 30));
    expect(f.query(f.c.oracle, { prices: { start_after: "udenom33" } })).toEqual([{ denom: "udenom34", price: "35" }]);
    expect(names(f.query(f.c.oracle, { price_sources: { start_after: "udenom04", limit: 2 } }))).toEqual(["udenom05", "udenom06"]);
    const { model, store } = oracle(f);
    model.setStale(store, "udenom03", true, f.world.block.time);
    expect(errorOf(() => f.query(f.c.oracle, { prices: {} }))).toMatch(/^Invalid price: current price publish time is too old\/stale/);
    expect(f.query<unknown[]>(f.c.oracle, { prices: { kind: "liquidation" } })).toHaveLength(10);
  });

  it("devnet controls: separate kinds, stale default, journaled state under devnet-only keys", () => {
    const f = fixture(variant);
    const { model, store } = oracle(f);
    f.setPrice("uatom", "8");
    model.setPrice(store, "uatom", { default: "8", liquidation: "7.5" });
    expect([price(f, "uatom").price, price(f, "uatom", "liquidation").price]).toEqual(["8", "7.5"]);
    expect(store.get(DEVNET_LIQUIDATION_PRICE.key("uatom"))).toBe('"7.5"');
    model.setPrice(store, "uatom", { liquidation: "7" });
    expect([price(f, "uatom").price, price(f, "uatom", "liquidation").price]).toEqual(["8", "7"]);
    model.setPrice(store, "uatom", "9");
    expect([price(f, "uatom").price, price(f, "uatom", "liquidation").price]).toEqual(["9", "9"]);
    expect(f.query(f.c.oracle, { price_source: { denom: "uatom" } })).toEqual({ denom: "uatom", price_source: { fixed: { price: "9" } } });
    expect(() => model.setPrice(store, "unew", { liquidation: "1" })).toThrow(/has no price source/);

    const t = f.world.block.time;
    model.setStale(store, "uatom", true, t);
    expect(store.get(DEVNET_STALE.key("uatom"))).toBe(`{"since":${t}}`);
    f.world.block.time = t + 30;
    expect(errorOf(() => price(f, "uatom"))).toBe(`Invalid price: current price publish time is too old/stale. published: ${t}, now: ${t + 30}`);
    expect(price(f, "uatom", "liquidation").price).toBe("9");
    expect(model.priceOf(store, "uatom", "liquidation", f.world.block.time)).toBe("9");
    model.setStale(store, "uatom", false, t);
    expect(price(f, "uatom").price).toBe("9");

    // Inside a transaction the writes are journaled and roll back with it.
    const mark = f.world.journal.begin();
    model.setPrice(store, "uatom", { default: "1", liquidation: "0.5" });
    model.setStale(store, "uatom", true, t);
    f.world.journal.rollback(mark);
    expect([price(f, "uatom").price, price(f, "uatom", "liquidation").price]).toEqual(["9", "9"]);
  });
});

describe("variant-specific queries", () => {
  it("[NTRN] prices_by_denoms answers a denom → price object; has_price_source", () => {
    const f = fixture("neutron");
    f.setPrice("uatom", "8");
    f.setPrice("untrn", "0.4");
    expect(f.query(f.c.oracle, { prices_by_denoms: { denoms: ["untrn", "uatom"], kind: "liquidation" } })).toEqual({ untrn: "0.4", uatom: "8" });
    expect(f.query(f.c.oracle, { has_price_source: { denom: "uatom" } })).toEqual({ denom: "uatom", has_price_source: true });
    expect(f.query(f.c.oracle, { has_price_source: { denom: "ufoo" } })).toEqual({ denom: "ufoo", has_price_source: false });
  });

  it("[OSMO] has neither", () => {
    const f = fixture("osmosis");
    expect(errorOf(() => f.query(f.c.oracle, { prices_by_denoms: { denoms: [] } }))).toMatch(/unknown variant `prices_by_denoms`/);
    expect(errorOf(() => f.query(f.c.oracle, { has_price_source: { denom: "x" } }))).toMatch(/unknown variant `has_price_source`/);
  });
});
