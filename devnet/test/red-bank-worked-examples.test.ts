import { describe, expect, it } from "vitest";
import { redBankHealth } from "../src/contracts/red-bank.js";
import { collateralOf, debtOf, wasmAttrs, workedExample, type Fixture, type UserPosition } from "./red-bank-fixture.js";

/**
 * Golden worked examples A, B, C of spec §2.6, driven through the owner messages of the
 * conformance check and `World.execute`, exact to the unit.
 */

function liquidate(f: Fixture, send: string) {
  const before = f.world.bank.balance(f.liq, f.neutral);
  const events = f.exec(f.liq, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.gas } }, [{ denom: f.neutral, amount: send }]);
  const spent = before - f.world.bank.balance(f.liq, f.neutral);
  return { events, spent, attrs: wasmAttrs(events, f.c.redBank) };
}

describe("spec §2.6 position before liquidation", () => {
  for (const variant of ["osmosis", "neutron"] as const) {
    it(`${variant}: user_position and liquidation pricing give HF 0.961538461538461538`, () => {
      const f = workedExample(variant);
      const pos = f.query<UserPosition>(f.c.redBank, { user_position: { user: f.user } });
      expect(pos).toEqual({
        total_enabled_collateral: "5000000000",
        total_collateralized_debt: "3900000000",
        weighted_max_ltv_collateral: "3650000000",
        weighted_liquidation_threshold_collateral: "3750000000",
        health_status: { borrowing: { max_ltv_hf: "0.935897435897435897", liq_threshold_hf: "0.961538461538461538" } },
      });
      expect(f.query(f.c.redBank, { user_position_liquidation_pricing: { user: f.user } })).toEqual(pos);
      const h = redBankHealth(f.world, f.c.redBank, f.user);
      expect(h.liquidationHealthFactor).toBe(961538461538461538n);
      expect(h.liquidatable).toBe(true);
    });
  }
});

describe("worked example A [OSMO] (THF 1.05, LB {0,1,0.05,0.2}, PLF 0.25)", () => {
  it("repays 1_272_340_425, seizes 2_642_553_190, fee 24_468_086, refunds 727_659_575", () => {
    const f = workedExample("osmosis");
    const { spent, attrs, events } = liquidate(f, "2000000000");
    expect(spent).toBe(1_272_340_425n);
    expect(collateralOf(f, f.liq, f.gas)).toBe(2_618_085_104n);
    expect(collateralOf(f, f.c.rewardsCollector, f.gas)).toBe(24_468_086n);
    expect(debtOf(f, f.user, f.neutral)).toBe(2_627_659_575n);
    expect(collateralOf(f, f.user, f.gas)).toBe(7_357_446_810n);
    expect(attrs).toEqual({
      _contract_address: f.c.redBank,
      action: "liquidate",
      user: f.user,
      liquidator: f.liq,
      recipient: f.liq,
      collateral_denom: f.gas,
      collateral_amount: "2642553190",
      collateral_amount_scaled: "2642553190000000",
      debt_denom: f.neutral,
      debt_amount: "1272340425",
      debt_amount_scaled: "1272340425000000",
    });
    // The refund is a bank send from the Red Bank to the sender.
    const transfer = events.filter((e) => e.type === "transfer").at(-1)!;
    expect(transfer.attributes).toEqual([
      { key: "recipient", value: f.liq },
      { key: "sender", value: f.c.redBank },
      { key: "amount", value: `727659575${f.neutral}` },
    ]);
    // After: HF ≈ THF, so a second liquidation is refused with the contract's text.
    const pos = f.query<UserPosition>(f.c.redBank, { user_position: { user: f.user } });
    expect(pos.health_status).toEqual({ borrowing: { max_ltv_hf: "1.021999999752631578", liq_threshold_hf: "1.049999999714574898" } });
    expect(() => liquidate(f, "1000000")).toThrow("User's health factor is not less than 1 and thus cannot be liquidated");
  });
});

describe("worked example B [NTRN] (close factor 0.9, LB {0,2,0,0.05}, PLF 0.5)", () => {
  it("repays 3_510_000_000, seizes 7_371_000_000, fee 175_500_000, refunds 490_000_000", () => {
    const f = workedExample("neutron");
    const { spent, attrs } = liquidate(f, "4000000000");
    expect(spent).toBe(3_510_000_000n);
    expect(collateralOf(f, f.liq, f.gas)).toBe(7_195_500_000n);
    expect(collateralOf(f, f.c.rewardsCollector, f.gas)).toBe(175_500_000n);
    expect(debtOf(f, f.user, f.neutral)).toBe(390_000_000n);
    expect(collateralOf(f, f.user, f.gas)).toBe(2_629_000_000n);
    expect(attrs).toEqual({
      _contract_address: f.c.redBank,
      action: "liquidate",
      user: f.user,
      liquidator: f.liq,
      recipient: f.liq,
      collateral_denom: f.gas,
      collateral_amount: "7371000000",
      collateral_amount_scaled: "7371000000000000",
      collateral_price: "0.5",
      debt_denom: f.neutral,
      debt_amount: "3510000000",
      debt_amount_scaled: "3510000000000000",
      debt_price: "1",
      protocol_fee_denom: f.gas,
      protocol_fee_amount: "175500000",
      protocol_fee_amount_scaled: "175500000000000",
    });
  });
});

describe("worked example C [OSMO] (collateral-limited)", () => {
  it("debt 5_200_000_000: HF 0.721153846153846153, repay 4_761_904_761, seize 9_999_999_998, fee 119_047_620", () => {
    const f = workedExample("osmosis", "5200000000");
    const pos = f.query<UserPosition>(f.c.redBank, { user_position_liquidation_pricing: { user: f.user } });
    expect(pos.health_status).toEqual({ borrowing: { max_ltv_hf: "0.701923076923076923", liq_threshold_hf: "0.721153846153846153" } });
    const { spent, attrs } = liquidate(f, "6000000000");
    expect(spent).toBe(4_761_904_761n);
    expect(6_000_000_000n - spent).toBe(1_238_095_239n);
    expect(attrs.collateral_amount).toBe("9999999998");
    expect(collateralOf(f, f.c.rewardsCollector, f.gas)).toBe(119_047_620n);
    expect(collateralOf(f, f.liq, f.gas)).toBe(9_999_999_998n - 119_047_620n);
    expect(collateralOf(f, f.user, f.gas)).toBe(2n);
    // Bad debt remains: 5_200_000_000 − 4_761_904_761.
    expect(debtOf(f, f.user, f.neutral)).toBe(438_095_239n);
  });
});

describe("the liquidator's collateral", () => {
  it("arrives as an enabled deposit of the recipient and can be withdrawn in full", () => {
    const f = workedExample("osmosis");
    const recipient = f.lender;
    f.exec(f.liq, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.gas, recipient } }, [{ denom: f.neutral, amount: "2000000000" }]);
    expect(f.query(f.c.redBank, { user_collateral: { user: recipient, denom: f.gas } })).toEqual({
      denom: f.gas, amount_scaled: "2618085104000000", amount: "2618085104", enabled: true,
    });
    const before = f.world.bank.balance(recipient, f.gas);
    f.exec(recipient, f.c.redBank, { withdraw: { denom: f.gas } });
    expect(f.world.bank.balance(recipient, f.gas) - before).toBe(2_618_085_104n);
    expect(collateralOf(f, recipient, f.gas)).toBe(0n);
  });
});
