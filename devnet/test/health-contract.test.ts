import { describe, expect, it } from "vitest";
import { setPrice, setStale } from "../src/contracts/oracle-prices.js";
import { assetParams, errorOf } from "./red-bank-fixture.js";
import { roverFixture } from "./credit-manager-fixture.js";

/** The health contract (spec §6.3–6.4) over real credit-manager positions, params and prices. */

describe("health contract", () => {
  it("ignores coins without params, rounds debt values up, and is healthy without debts", () => {
    const f = roverFixture("osmosis");
    f.exec(f.lender, f.c.redBank, { deposit: {} }, [{ denom: f.gas, amount: "1000000" }]);
    f.world.bank.mint(f.user, "uatom", 1_000n);
    const [id] = f.bulk([{ owner: f.user, deposits: [{ denom: f.gas, amount: 10_000n }], debts: [{ denom: f.gas, amount: 3n }] }]);
    f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ deposit: { denom: "uatom", amount: "1000" } }] } }, [{ denom: "uatom", amount: "1000" }]);
    const h = f.query(f.r.health, { health_values: { account_id: id, kind: "default", action: "default" } });
    // collateral floor(10_000·0.5) = 5_000 (uatom has no params); debt ceil(3·0.5) = 2.
    expect(h).toEqual({
      total_debt_value: "2",
      total_collateral_value: "5000",
      max_ltv_adjusted_collateral: "3650",
      liquidation_threshold_adjusted_collateral: "3750",
      max_ltv_health_factor: "1825",
      liquidation_health_factor: "1875",
      liquidatable: false,
      above_max_ltv: false,
    });
    const [empty] = f.bulk([{ owner: f.user, deposits: [{ denom: "uatom", amount: 1n }] }]);
    expect(f.query(f.r.health, { health_state: { account_id: empty, kind: "default", action: "liquidation" } })).toBe("healthy");
    expect(f.query(f.r.health, { health_values: { account_id: empty, kind: "default", action: "default" } })).toMatchObject({
      total_debt_value: "0",
      max_ltv_health_factor: null,
      liquidation_health_factor: null,
      liquidatable: false,
    });
  });

  it("a coin that is not CM-whitelisted has max LTV 0 but still counts at its liquidation threshold", () => {
    const f = roverFixture("osmosis");
    const [id] = f.bulk([{ owner: f.user, deposits: [{ denom: f.gas, amount: 10_000_000_000n }], debts: [{ denom: f.neutral, amount: 1_000_000_000n }] }]);
    const p = assetParams(f, f.gas, { price: "0.5" }) as { credit_manager: { whitelisted: boolean } };
    p.credit_manager.whitelisted = false;
    f.exec(f.owner, f.c.params, { update_asset_params: { add_or_update: { params: p } } });
    expect(f.query(f.r.health, { health_values: { account_id: id, kind: "default", action: "liquidation" } })).toMatchObject({
      max_ltv_adjusted_collateral: "0",
      liquidation_threshold_adjusted_collateral: "3750000000",
      above_max_ltv: true,
      liquidatable: false,
    });
    // ... and it can no longer be borrowed or lent.
    expect(errorOf(() => f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ lend: { denom: f.gas, amount: "account_balance" } }] } }))).toBe(
      `${f.gas} is not whitelisted`,
    );
  });

  it("uses liquidation prices for action=liquidation, which still answer when default prices are stale", () => {
    const f = roverFixture("osmosis");
    const [id] = f.bulk([{ owner: f.user, deposits: [{ denom: f.gas, amount: 10_000_000_000n }], debts: [{ denom: f.neutral, amount: 3_000_000_000n }] }]);
    const oracleStore = f.world.instance(f.c.oracle).store;
    setPrice(oracleStore, f.gas, { default: "0.5", liquidation: "0.4" });
    const hf = (action: string) => f.query<{ liquidation_health_factor: string }>(f.r.health, { health_values: { account_id: id, kind: "default", action } }).liquidation_health_factor;
    expect(hf("default")).toBe("1.25");
    expect(hf("liquidation")).toBe("1");
    setStale(oracleStore, f.gas, true, f.world.block.time);
    expect(errorOf(() => hf("default"))).toMatch(/^Generic error: Querier contract error: /);
    expect(hf("liquidation")).toBe("1");
  });

  it("neutron: no kind field, perps fields in the response, liquidation HF in the unhealthy state", () => {
    const f = roverFixture("neutron");
    const [id] = f.bulk([{ owner: f.user, deposits: [{ denom: f.gas, amount: 10_000_000_000n }], debts: [{ denom: f.neutral, amount: 3_900_000_000n }] }]);
    expect(errorOf(() => f.query(f.r.health, { health_values: { account_id: id, kind: "default", action: "default" } }))).toBe(
      "Error parsing into type mars_types::health::QueryMsg: unknown field `kind`, expected `account_id` or `action`",
    );
    expect(f.query(f.r.health, { health_state: { account_id: id, action: "default" } })).toEqual({
      unhealthy: { max_ltv_health_factor: "0.935897435897435897", liquidation_health_factor: "0.961538461538461538" },
    });
  });

  it("osmosis: kind and action are required", () => {
    const f = roverFixture("osmosis");
    expect(errorOf(() => f.query(f.r.health, { health_values: { account_id: "1", action: "default" } }))).toBe(
      "Error parsing into type mars_types::health::QueryMsg: missing field `kind`",
    );
    expect(errorOf(() => f.query(f.r.health, { health_values: { account_id: "1", kind: "default", action: "spot" } }))).toMatch(/unknown variant `spot`/);
    expect(f.query(f.r.health, { config: {} })).toMatchObject({ credit_manager: f.r.creditManager, owner_response: { owner: f.owner } });
  });
});
