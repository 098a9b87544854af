import { describe, expect, it } from "vitest";
import { addMarket, collateralOf, debtOf, errorOf, fixture, wasmAttrs, type Fixture, type UserCollateral } from "./red-bank-fixture.js";

/** deposit / withdraw / borrow / repay / collateral status: happy paths and the contract's error strings. */

const coin = (denom: string, amount: string) => [{ denom, amount }];

function market(variant: "osmosis" | "neutron", settings: { depositCap?: string; borrowEnabled?: boolean; withdrawEnabled?: boolean } = {}): Fixture {
  const f = fixture(variant);
  addMarket(f, f.gas, { price: "1" });
  addMarket(f, f.neutral, { price: "1", ...settings });
  f.exec(f.lender, f.c.redBank, { deposit: {} }, coin(f.neutral, "20000000000"));
  f.exec(f.user, f.c.redBank, { deposit: {} }, coin(f.gas, "10000000000"));
  return f;
}

describe("deposit", () => {
  it("creates an enabled collateral entry and emits the contract's attributes", () => {
    const f = market("osmosis");
    const ev = f.exec(f.user, f.c.redBank, { deposit: { on_behalf_of: f.liq } }, coin(f.gas, "123"));
    expect(wasmAttrs(ev, f.c.redBank)).toEqual({
      _contract_address: f.c.redBank, action: "deposit", sender: f.user, on_behalf_of: f.liq, denom: f.gas, amount: "123", amount_scaled: "123000000",
    });
    expect(ev.some((e) => e.type === "wasm-interests_updated")).toBe(true);
    expect(f.query<UserCollateral>(f.c.redBank, { user_collateral: { user: f.liq, denom: f.gas } }).enabled).toBe(true);
  });

  it("account_id is reserved to the credit manager; on_behalf_of the credit manager is refused", () => {
    const f = market("osmosis");
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { deposit: { account_id: "1" } }, coin(f.gas, "1")))).toBe("Unauthorized");
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { deposit: { on_behalf_of: f.c.creditManager } }, coin(f.gas, "1")))).toBe("Unauthorized");
    f.world.bank.mint(f.c.creditManager, f.gas, 10n);
    f.exec(f.c.creditManager, f.c.redBank, { deposit: { account_id: "7" } }, coin(f.gas, "10"));
    expect(f.query<UserCollateral>(f.c.redBank, { user_collateral: { user: f.c.creditManager, account_id: "7", denom: f.gas } }).amount).toBe("10");
  });

  it("deposit cap", () => {
    const f = market("neutron", { depositCap: "20000000100" });
    f.exec(f.user, f.c.redBank, { deposit: {} }, coin(f.neutral, "100"));
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { deposit: {} }, coin(f.neutral, "1")))).toBe(`Deposit Cap exceeded for "${f.neutral}"`);
    expect(f.query(f.c.params, { total_deposit: { denom: f.neutral } })).toEqual({ denom: f.neutral, cap: "20000000100", amount: "20000000100" });
  });

  it("a denom without a market", () => {
    const f = market("osmosis");
    f.world.bank.mint(f.user, "uatom", 5n);
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { deposit: {} }, coin("uatom", "5")))).toBe("mars_types::red_bank::market::Market not found");
  });
});

describe("borrow", () => {
  it("max LTV with default prices", () => {
    const f = market("osmosis");
    // 10_000 gas at 1 with max LTV 0.73 → at most 7_300 USDC.
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "7300000001" } }))).toBe(
      "Borrow amount exceeds maximum allowed given current collateral value",
    );
    f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "7300000000" } });
    expect(debtOf(f, f.user, f.neutral)).toBe(7_300_000_000n);
  });

  it("liquidity and zero amounts", () => {
    const f = market("osmosis");
    const err = `Borrow amount must be greater than 0 and less or equal available liquidity (asset: "${f.neutral}")`;
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "0" } }))).toBe(err);
    expect(errorOf(() => f.exec(f.c.creditManager, f.c.redBank, { borrow: { denom: f.neutral, amount: "20000000001" } }))).toBe(err);
  });

  it("borrow_enabled", () => {
    const f = market("neutron", { borrowEnabled: false });
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "1" } }))).toBe(`Borrow for "${f.neutral}" is not enabled`);
  });

  it("non-payable", () => {
    const f = market("osmosis");
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "1" } }, coin(f.gas, "1")))).toBe("This message does no accept funds");
  });
});

describe("repay", () => {
  it("refunds the excess to the sender and removes the debt entry", () => {
    const f = market("osmosis");
    f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "1000" } });
    const before = f.world.bank.balance(f.liq, f.neutral);
    const ev = f.exec(f.liq, f.c.redBank, { repay: { on_behalf_of: f.user } }, coin(f.neutral, "5000"));
    expect(before - f.world.bank.balance(f.liq, f.neutral)).toBe(1000n);
    expect(wasmAttrs(ev, f.c.redBank)).toMatchObject({ action: "repay", sender: f.liq, on_behalf_of: f.user, amount: "1000", amount_scaled: "1000000000" });
    expect(f.query(f.c.redBank, { user_debts: { user: f.user } })).toEqual([]);
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { repay: {} }, coin(f.neutral, "1")))).toBe("Cannot repay 0 debt");
  });

  it("partial repay, and not on behalf of the credit manager", () => {
    const f = market("neutron");
    f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "1000" } });
    f.exec(f.user, f.c.redBank, { repay: {} }, coin(f.neutral, "400"));
    expect(debtOf(f, f.user, f.neutral)).toBe(600n);
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { repay: { on_behalf_of: f.c.creditManager } }, coin(f.neutral, "1")))).toBe(
      "Cannot repay on behalf of credit manager",
    );
  });
});

describe("withdraw", () => {
  it("amount null withdraws everything", () => {
    const f = market("osmosis");
    const before = f.world.bank.balance(f.user, f.gas);
    f.exec(f.user, f.c.redBank, { withdraw: { denom: f.gas, amount: null } });
    expect(f.world.bank.balance(f.user, f.gas) - before).toBe(10_000_000_000n);
    expect(f.query(f.c.redBank, { user_collaterals: { user: f.user } })).toEqual([]);
  });

  it("amount checks and the health check when borrowing", () => {
    const f = market("osmosis");
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { withdraw: { denom: f.gas, amount: "10000000001" } }))).toBe(
      `Withdraw amount must be greater than 0 and less or equal user balance (asset: "${f.gas}")`,
    );
    f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "3900000000" } });
    // LT 0.75: keeping 5_200 gas (LT value 3_900) is the least that stays healthy.
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { withdraw: { denom: f.gas, amount: "4800000001" } }))).toBe(
      "User's health factor can't be less than 1 after withdraw",
    );
    f.exec(f.user, f.c.redBank, { withdraw: { denom: f.gas, amount: "4800000000" } });
    expect(collateralOf(f, f.user, f.gas)).toBe(5_200_000_000n);
  });

  it("account_id only for the credit manager; no collateral entry", () => {
    const f = market("osmosis");
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { withdraw: { denom: f.gas, account_id: "3" } }))).toBe("Unauthorized");
    expect(errorOf(() => f.exec(f.liq, f.c.redBank, { withdraw: { denom: f.gas } }))).toBe("mars_types::red_bank::types::Collateral not found");
  });

  it("[NTRN] withdraw_enabled gates withdraws unless liquidation-related", () => {
    const f = market("neutron", { withdrawEnabled: false });
    expect(errorOf(() => f.exec(f.lender, f.c.redBank, { withdraw: { denom: f.neutral } }))).toBe(`Withdraw for "${f.neutral}" is not enabled`);
    f.world.bank.mint(f.c.creditManager, f.neutral, 100n);
    f.exec(f.c.creditManager, f.c.redBank, { deposit: { account_id: "9" } }, coin(f.neutral, "100"));
    f.exec(f.c.creditManager, f.c.redBank, { withdraw: { denom: f.neutral, account_id: "9", liquidation_related: true } });
    expect(f.world.bank.balance(f.c.creditManager, f.neutral)).toBe(100n);
  });
});

describe("update_asset_collateral_status", () => {
  it("disabling must keep the user healthy", () => {
    const f = market("osmosis");
    f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "3900000000" } });
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { update_asset_collateral_status: { denom: f.gas, enable: false } }))).toBe(
      "User's health factor can't be less than 1 after disabling collateral",
    );
    expect(errorOf(() => f.exec(f.liq, f.c.redBank, { update_asset_collateral_status: { denom: f.gas, enable: false } }))).toBe(
      `User address "${f.liq}" has no balance in specified collateral asset "${f.gas}"`,
    );
    const ev = f.exec(f.lender, f.c.redBank, { update_asset_collateral_status: { denom: f.neutral, enable: false } });
    expect(wasmAttrs(ev, f.c.redBank)).toEqual({ _contract_address: f.c.redBank, action: "update_asset_collateral_status", user: f.lender, denom: f.neutral, enable: "false" });
  });
});

describe("market administration", () => {
  it("[OSMO] init_asset and update_asset are owner-only; a market is created once", () => {
    const f = fixture("osmosis");
    const params = { reserve_factor: "0.1", interest_rate_model: { optimal_utilization_rate: "0.8", base: "0", slope_1: "0.2", slope_2: "2" } };
    expect(errorOf(() => f.exec(f.user, f.c.redBank, { init_asset: { denom: "uatom", params } }))).toBe("Caller is not owner");
    f.exec(f.owner, f.c.redBank, { init_asset: { denom: "uatom", params } });
    expect(errorOf(() => f.exec(f.owner, f.c.redBank, { init_asset: { denom: "uatom", params } }))).toBe("Asset is already initialized");
    expect(errorOf(() => f.exec(f.owner, f.c.redBank, { update_asset: { denom: "uosmo", params } }))).toBe("Asset not initialized");
    expect(errorOf(() => f.exec(f.owner, f.c.redBank, { update_asset: { denom: "uatom", params: { reserve_factor: "1" } } }))).toBe(
      "Invalid param: reserve_factor is 1, but it should be < 1",
    );
    expect(f.query(f.c.redBank, { market: { denom: "uatom" } })).toEqual({
      denom: "uatom", reserve_factor: "0.1", interest_rate_model: params.interest_rate_model,
      borrow_index: "1", liquidity_index: "1", borrow_rate: "0", liquidity_rate: "0",
      indexes_last_updated: f.world.block.time, collateral_total_scaled: "0", debt_total_scaled: "0",
    });
  });

  it("[NTRN] markets come from params; update_market_params is for the params contract only", () => {
    const f = fixture("neutron");
    addMarket(f, f.gas, { price: "1" });
    expect(f.query(f.c.redBank, { market: { denom: f.gas } })).toMatchObject({ denom: f.gas, reserve_factor: "0" });
    expect(errorOf(() => f.exec(f.owner, f.c.redBank, { update_market_params: { add_or_update: { params: { denom: f.gas, reserve_factor: "0.2" } } } }))).toBe(
      "Unauthorized",
    );
    expect(errorOf(() => f.exec(f.owner, f.c.redBank, { init_asset: { denom: "uatom", params: {} } }))).toMatch(/^Error parsing into type mars_types::red_bank::msg::ExecuteMsg: unknown variant `init_asset`/);
  });
});
