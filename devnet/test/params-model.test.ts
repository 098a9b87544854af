import { describe, expect, it } from "vitest";
import { addMarket, assetParams, errorOf, fixture, type Fixture } from "./red-bank-fixture.js";

/** The params model (spec §4) and the parameter validation of spec §2.5. */

const update = (f: Fixture, params: Record<string, unknown>, sender = f.owner) =>
  f.exec(sender, f.c.params, { update_asset_params: { add_or_update: { params } } });

describe.each(["osmosis", "neutron"] as const)("%s asset params", (variant) => {
  it("stores normalized params and answers asset_params / all_asset_params", () => {
    const f = fixture(variant);
    f.setPrice("uatom", "8");
    const p = { ...assetParams(f, "uatom", { price: "8" }), liquidation_threshold: "0.750", max_loan_to_value: "0.70" };
    update(f, p);
    const stored = f.query<Record<string, unknown>>(f.c.params, { asset_params: { denom: "uatom" } });
    expect(stored).toEqual({ ...p, liquidation_threshold: "0.75", max_loan_to_value: "0.7" });
    expect(Object.keys(stored)).toEqual(Object.keys(p));
    expect("close_factor" in stored).toBe(variant === "neutron");
    expect(f.query(f.c.params, { asset_params: { denom: "unone" } })).toBeNull();
    expect(errorOf(() => update(f, p, f.user))).toBe(variant === "osmosis" ? "Caller is not owner" : "Caller is not owner or risk manager");
  });

  it.each([
    [{ liquidation_bonus: { starting_lb: "0.11", slope: "1", min_lb: "0", max_lb: "0.2" } }, "Invalid param: starting_lb is 0.11, but it should be [0, 0.1]"],
    [{ liquidation_bonus: { starting_lb: "0", slope: "0.9", min_lb: "0", max_lb: "0.2" } }, "Invalid param: slope is 0.9, but it should be [1, 5]"],
    [{ liquidation_bonus: { starting_lb: "0", slope: "5.5", min_lb: "0", max_lb: "0.2" } }, "Invalid param: slope is 5.5, but it should be [1, 5]"],
    [{ liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0.2", max_lb: "0.2" } }, "Invalid param: min_lb is 0.2, but it should be [0, 0.1]"],
    [{ liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0", max_lb: "0.04" } }, "Invalid param: max_lb is 0.04, but it should be [0.05, 0.3]"],
    [{ liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0", max_lb: "0.31" } }, "Invalid param: max_lb is 0.31, but it should be [0.05, 0.3]"],
    [{ liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0.1", max_lb: "0.05" } }, "Invalid param: max_lb is 0.05, but it should be > 0.1 (min LB)"],
    [{ max_loan_to_value: "1" }, "Invalid param: max_loan_to_value is 1, but it should be < 1"],
    [{ liquidation_threshold: "1.1" }, "Invalid param: liquidation_threshold is 1.1, but it should be <= 1"],
    [{ liquidation_threshold: "0.7" }, "Invalid param: liquidation_threshold is 0.7, but it should be > 0.73 (max LTV)"],
    [{ protocol_liquidation_fee: "1" }, "Invalid param: protocol_liquidation_fee is 1, but it should be < 1"],
    [{ denom: "x" }, "Invalid denom: Invalid denom length"],
  ])("rejects %j", (patch, message) => {
    const f = fixture(variant);
    f.setPrice("uatom", "8");
    expect(errorOf(() => update(f, { ...assetParams(f, "uatom", { price: "8" }), ...patch }))).toBe(message);
  });

  it("vault configs are empty; config names the address provider", () => {
    const f = fixture(variant);
    expect(f.query(f.c.params, { all_vault_configs: {} })).toEqual([]);
    expect(f.query(f.c.params, { all_vault_configs_v2: {} })).toEqual({ data: [], metadata: { has_more: false } });
    expect(f.query(f.c.params, { config: {} })).toEqual({ address_provider: f.c.addressProvider });
  });

  it("total_deposit: Red Bank collateral plus the credit manager's balance, and the cap", () => {
    const f = fixture(variant);
    addMarket(f, f.neutral, { price: "1", depositCap: "5000" });
    f.exec(f.user, f.c.redBank, { deposit: {} }, [{ denom: f.neutral, amount: "1000" }]);
    f.world.bank.mint(f.c.creditManager, f.neutral, 234n);
    expect(f.query(f.c.params, { total_deposit: { denom: f.neutral } })).toEqual({ denom: f.neutral, cap: "5000", amount: "1234" });
    expect(f.query(f.c.params, { all_total_deposits_v2: {} })).toEqual({ data: [{ denom: f.neutral, cap: "5000", amount: "1234" }], metadata: { has_more: false } });
  });

  it("all_asset_params pages by denom", () => {
    const f = fixture(variant);
    const denoms = Array.from({ length: 33 }, (_, i) => `uasset${String(i).padStart(2, "0")}`);
    for (const d of denoms) {
      f.setPrice(d, "1");
      update(f, assetParams(f, d, { price: "1" }));
    }
    const names = (l: { denom: string }[]) => l.map((p) => p.denom);
    expect(names(f.query(f.c.params, { all_asset_params: {} }))).toEqual(denoms.slice(0, 10));
    expect(names(f.query(f.c.params, { all_asset_params: { limit: 31 } }))).toEqual(denoms.slice(0, 30));
    expect(names(f.query(f.c.params, { all_asset_params: { start_after: "uasset30" } }))).toEqual(denoms.slice(31));
  });
});

describe("[OSMO] target health factor", () => {
  it("is queryable and owner-updatable within [1, 2]", () => {
    const f = fixture("osmosis");
    expect(f.query(f.c.params, { target_health_factor: {} })).toBe("1.05");
    f.exec(f.owner, f.c.params, { update_target_health_factor: "1.200" });
    expect(f.query(f.c.params, { target_health_factor: {} })).toBe("1.2");
    expect(errorOf(() => f.exec(f.owner, f.c.params, { update_target_health_factor: "0.9" }))).toBe(
      "Invalid param: target_health_factor is 0.9, but it should be [1, 2]",
    );
    expect(errorOf(() => f.exec(f.user, f.c.params, { update_target_health_factor: "1.1" }))).toBe("Caller is not owner");
  });

  it("osmosis params have no close factor (cw_serde denies unknown fields)", () => {
    const f = fixture("osmosis");
    expect(errorOf(() => update(f, { ...assetParams(f, "uatom", { price: "1" }), close_factor: "0.9" }))).toMatch(
      /^Error parsing into type mars_types::params::asset::AssetParamsBase<alloc::string::String>: unknown field `close_factor`/,
    );
  });
});

describe("[NTRN] params", () => {
  it("target_health_factor is an unknown variant", () => {
    const f = fixture("neutron");
    expect(errorOf(() => f.query(f.c.params, { target_health_factor: {} }))).toMatch(/^Error parsing into type mars_types::params::msg::QueryMsg: unknown variant `target_health_factor`/);
    expect(errorOf(() => f.exec(f.owner, f.c.params, { update_target_health_factor: "1.05" }))).toMatch(/unknown variant `update_target_health_factor`/);
  });

  it("needs close_factor ≤ 1, an oracle price source, and pushes IRM and reserve factor to the Red Bank", () => {
    const f = fixture("neutron");
    expect(errorOf(() => update(f, assetParams(f, "uatom", { price: "1" })))).toBe("Price source not found for denom: uatom");
    f.setPrice("uatom", "8");
    expect(errorOf(() => update(f, { ...assetParams(f, "uatom", { price: "8" }), close_factor: "1.1" }))).toBe(
      "Invalid param: close_factor is 1.1, but it should be <= 1",
    );
    const { close_factor: _omit, ...noCf } = assetParams(f, "uatom", { price: "8" });
    expect(errorOf(() => update(f, noCf))).toMatch(/missing field `close_factor`/);
    const irm = { optimal_utilization_rate: "0.7", base: "0.01", slope_1: "0.1", slope_2: "1" };
    const ev = update(f, assetParams(f, "uatom", { price: "8", irm, reserveFactor: "0.15" }));
    expect(ev.filter((e) => e.type === "execute").map((e) => e.attributes[0]!.value)).toEqual([f.c.params, f.c.redBank]);
    expect(f.query(f.c.redBank, { market: { denom: "uatom" } })).toMatchObject({ reserve_factor: "0.15", interest_rate_model: irm, borrow_rate: "0" });
    update(f, assetParams(f, "uatom", { price: "8", irm: { ...irm, base: "0.02" }, reserveFactor: "0.15" }));
    expect(f.query(f.c.redBank, { market: { denom: "uatom" } })).toMatchObject({ interest_rate_model: { ...irm, base: "0.02" }, borrow_rate: "0.02" });
    expect(f.query(f.c.params, { all_asset_params_v2: { limit: 1 } })).toMatchObject({ data: [{ denom: "uatom" }], metadata: { has_more: false } });
  });
});
