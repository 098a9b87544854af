import { describe, expect, it } from "vitest";
import { OracleModel } from "../src/contracts/oracle.js";
import { redBankHealth } from "../src/contracts/red-bank.js";
import {
  addMarket, collateralOf, debtOf, errorOf, fixture, wasmAttrs, workedExample, type Fixture, type UserDebt, type UserPosition,
} from "./red-bank-fixture.js";

/** Liquidation checks in the contract's order, with the exact error strings of spec §2.7. */

const send = (f: Fixture, amount: string, denom = f.neutral) => [{ denom, amount }];

function liquidateErr(f: Fixture, msg: Record<string, unknown>, funds = send(f, "1000000"), sender = f.liq): string {
  return errorOf(() => f.exec(sender, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.gas, ...msg } }, funds));
}

describe("liquidate: refusals", () => {
  it("a healthy user", () => {
    const f = workedExample("osmosis");
    f.setPrice(f.gas, "1");
    expect(liquidateErr(f, {})).toBe("User's health factor is not less than 1 and thus cannot be liquidated");
  });

  it("self-liquidation, checked before anything else", () => {
    const f = workedExample("osmosis");
    expect(liquidateErr(f, { collateral_denom: "unknown" }, send(f, "1"), f.user)).toBe("User cannot issue liquidation of own account");
  });

  it("the credit manager", () => {
    const f = workedExample("neutron");
    expect(liquidateErr(f, { user: f.c.creditManager })).toBe(
      "Cannot liquidate credit manager (use credit-manager contract liquidate function)",
    );
  });

  it("no collateral in the requested denom", () => {
    const f = workedExample("osmosis");
    expect(liquidateErr(f, { collateral_denom: f.neutral })).toBe("User has no balance in specified collateral asset to be liquidated");
  });

  it("collateral not enabled (CannotLiquidateWhenCollateralUnset)", () => {
    const f = fixture("osmosis");
    addMarket(f, f.gas, { price: "1" });
    addMarket(f, f.neutral, { price: "1" });
    f.exec(f.lender, f.c.redBank, { deposit: {} }, send(f, "20000000000"));
    f.exec(f.user, f.c.redBank, { deposit: {} }, send(f, "10000000000", f.gas));
    f.exec(f.user, f.c.redBank, { deposit: {} }, send(f, "1000000000"));
    f.exec(f.user, f.c.redBank, { update_asset_collateral_status: { denom: f.neutral, enable: false } });
    f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "3900000000" } });
    f.setPrice(f.gas, "0.5");
    expect(liquidateErr(f, { collateral_denom: f.neutral })).toBe(`User can't be liquidated for asset "${f.neutral}" not being used as collateral`);
    // The disabled deposit is invisible to health: HF is the worked example's.
    const pos = f.query<UserPosition>(f.c.redBank, { user_position: { user: f.user } });
    expect(pos.total_enabled_collateral).toBe("5000000000");
  });

  it("no debt in the sent denom", () => {
    const f = workedExample("neutron");
    expect(liquidateErr(f, {}, send(f, "1000", f.gas))).toBe(
      "User has no outstanding debt in the specified debt asset and thus cannot be liquidated",
    );
  });

  it("payment errors of cw_utils::one_coin", () => {
    const f = workedExample("osmosis");
    expect(liquidateErr(f, {}, [])).toBe("No funds sent");
    expect(liquidateErr(f, {}, [...send(f, "1"), ...send(f, "1", f.gas)])).toBe("Sent more than one denomination");
  });

  it("a failed liquidation leaves no trace (atomic rollback)", () => {
    const f = workedExample("osmosis");
    const before = f.world.bank.balance(f.liq, f.neutral);
    f.setPrice(f.gas, "1");
    liquidateErr(f, {}, send(f, "2000000000"));
    expect(f.world.bank.balance(f.liq, f.neutral)).toBe(before);
    expect(debtOf(f, f.user, f.neutral)).toBe(3_900_000_000n);
  });
});

describe("liquidate: accepted cases", () => {
  it("collateral == debt denom is allowed", () => {
    const f = fixture("osmosis");
    addMarket(f, f.gas, { price: "1" });
    addMarket(f, f.neutral, { price: "1" });
    f.exec(f.lender, f.c.redBank, { deposit: {} }, send(f, "20000000000"));
    f.exec(f.user, f.c.redBank, { deposit: {} }, send(f, "10000000000", f.gas));
    f.exec(f.user, f.c.redBank, { deposit: {} }, send(f, "1000000000"));
    f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "5000000000" } });
    f.setPrice(f.gas, "0.5");
    // TCV 6e9, TDV 5e9, HF 0.9, CR 1.2 → LB 0.1; MDR 3_333_333_333; by_coll floor(1e9/1.1) = 909_090_909.
    const before = f.world.bank.balance(f.liq, f.neutral);
    const ev = f.exec(f.liq, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.neutral } }, send(f, "2000000000"));
    expect(before - f.world.bank.balance(f.liq, f.neutral)).toBe(909_090_909n);
    const a = wasmAttrs(ev, f.c.redBank);
    expect([a.collateral_amount, a.debt_amount]).toEqual(["999999999", "909090909"]);
    expect(collateralOf(f, f.liq, f.neutral)).toBe(977_272_726n);
    expect(collateralOf(f, f.c.rewardsCollector, f.neutral)).toBe(22_727_273n);
    expect(collateralOf(f, f.user, f.neutral)).toBe(1n);
    expect(debtOf(f, f.user, f.neutral)).toBe(4_090_909_091n);
  });

  it("over-send: the excess goes back to the sender, not the recipient", () => {
    const f = workedExample("neutron");
    const before = f.world.bank.balance(f.liq, f.neutral);
    const lenderBefore = f.world.bank.balance(f.lender, f.neutral);
    f.exec(f.liq, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.gas, recipient: f.lender } }, send(f, "50000000000"));
    expect(before - f.world.bank.balance(f.liq, f.neutral)).toBe(3_510_000_000n);
    expect(f.world.bank.balance(f.lender, f.neutral)).toBe(lenderBefore);
    expect(collateralOf(f, f.lender, f.gas)).toBe(7_195_500_000n);
  });

  it("stale default price, valid liquidation price: liquidation works, user_position errors", () => {
    const f = workedExample("osmosis");
    const oracle = f.world.instance(f.c.oracle);
    (oracle.model as OracleModel).setStale(oracle.store, f.gas, true, f.world.block.time);
    expect(errorOf(() => f.query(f.c.redBank, { user_position: { user: f.user } }))).toBe(
      `Generic error: failed to query price for denom: ${f.gas}. Error: Generic error: Querier contract error: ` +
        `Invalid price: current price publish time is too old/stale. published: ${f.world.block.time}, now: ${f.world.block.time}`,
    );
    const pos = f.query<UserPosition>(f.c.redBank, { user_position_liquidation_pricing: { user: f.user } });
    expect(pos.health_status).toEqual({ borrowing: { max_ltv_hf: "0.935897435897435897", liq_threshold_hf: "0.961538461538461538" } });
    const before = f.world.bank.balance(f.liq, f.neutral);
    f.exec(f.liq, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.gas } }, send(f, "2000000000"));
    expect(before - f.world.bank.balance(f.liq, f.neutral)).toBe(1_272_340_425n);
    // Borrowing needs default prices and fails meanwhile.
    expect(errorOf(() => f.exec(f.lender, f.c.redBank, { borrow: { denom: f.gas, amount: "1" } }))).toContain("failed to query price for denom");
  });

  it("a separate liquidation price drives liquidation while default prices look healthy", () => {
    const f = workedExample("osmosis");
    const oracle = f.world.instance(f.c.oracle);
    (oracle.model as OracleModel).setPrice(oracle.store, f.gas, { default: "1", liquidation: "0.5" });
    const pos = f.query<UserPosition>(f.c.redBank, { user_position: { user: f.user } });
    expect(pos.total_enabled_collateral).toBe("10000000000");
    expect(redBankHealth(f.world, f.c.redBank, f.user).liquidatable).toBe(true);
    expect(redBankHealth(f.world, f.c.redBank, f.user, { pricing: "default" }).liquidatable).toBe(false);
    const before = f.world.bank.balance(f.liq, f.neutral);
    f.exec(f.liq, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.gas } }, send(f, "2000000000"));
    expect(before - f.world.bank.balance(f.liq, f.neutral)).toBe(1_272_340_425n);
  });
});

describe("credit manager debt", () => {
  it("borrows uncollateralized without a health check; its debt is flagged", () => {
    const f = workedExample("osmosis");
    const cm = f.c.creditManager;
    f.exec(cm, f.c.redBank, { borrow: { denom: f.neutral, amount: "1000000" } });
    expect(f.query<UserDebt>(f.c.redBank, { user_debt: { user: cm, denom: f.neutral } })).toEqual({
      denom: f.neutral, amount_scaled: "1000000000000", amount: "1000000", uncollateralized: true,
    });
    expect(f.query<UserPosition>(f.c.redBank, { user_position: { user: cm } }).health_status).toBe("not_borrowing");
    expect(f.query<UserDebt[]>(f.c.redBank, { user_debts: { user: f.user } })).toEqual([
      { denom: f.neutral, amount_scaled: "3900000000000000", amount: "3900000000", uncollateralized: false },
    ]);
  });
});
