import { describe, expect, it } from "vitest";
import { creditAccountHealth } from "../src/contracts/credit-manager/ground-truth.js";
import { errorOf } from "./red-bank-fixture.js";
import { actionEvent, exampleD, expectedPoolOut, wasmEvents, type RoverFixture } from "./credit-manager-fixture.js";

/**
 * Worked example D of spec §6.5 [OSMO], to the unit, through `update_credit_account` on the
 * credit manager with the real Red Bank, oracle, params, health, account NFT and swapper models.
 */

const HALF = { num: 1n, den: 2n };
const ONE = { num: 1n, den: 1n };

function liquidationActions(f: RoverFixture, minReceive = "1295000000") {
  return [
    { borrow: { denom: f.neutral, amount: "1300000000" } },
    { liquidate: { liquidatee_account_id: "42", debt_coin: { denom: f.neutral, amount: "1300000000" }, request: { deposit: f.gas } } },
    { swap_exact_in: { coin_in: { denom: f.gas, amount: "account_balance" }, denom_out: f.neutral, min_receive: minReceive, route: f.route(f.gas, f.neutral) } },
    { repay: { coin: { denom: f.neutral, amount: "account_balance" } } },
    { refund_all_coin_balances: {} },
  ];
}

describe("worked example D [OSMO]", () => {
  it("starts from debt shares 3.9e15 of 1e16, debt ceil 3_900_000_000 and HF 0.961538461538461538", () => {
    const f = exampleD("osmosis");
    expect(f.positions("42")).toEqual({
      account_id: "42",
      account_kind: "default",
      deposits: [{ denom: f.gas, amount: "10000000000" }],
      debts: [{ denom: f.neutral, shares: "3900000000000000", amount: "3900000000" }],
      lends: [],
      vaults: [],
      staked_astro_lps: [],
    });
    expect(f.cmq({ total_debt_shares: f.neutral })).toEqual({ denom: f.neutral, shares: "10000000000000000" });
    expect(f.query(f.c.redBank, { user_debt: { user: f.r.creditManager, denom: f.neutral } })).toMatchObject({ amount: "10000000000", uncollateralized: true });
    expect(f.query(f.r.health, { health_values: { account_id: "42", kind: "default", action: "liquidation" } })).toEqual({
      total_debt_value: "3900000000",
      total_collateral_value: "5000000000",
      max_ltv_adjusted_collateral: "3650000000",
      liquidation_threshold_adjusted_collateral: "3750000000",
      max_ltv_health_factor: "0.935897435897435897",
      liquidation_health_factor: "0.961538461538461538",
      liquidatable: true,
      above_max_ltv: true,
    });
    expect(f.query(f.r.health, { health_state: { account_id: "42", kind: "default", action: "default" } })).toEqual({
      unhealthy: { max_ltv_health_factor: "0.935897435897435897" },
    });
    expect(creditAccountHealth(f.world, f.r.health, "42").liquidationHealthFactor).toBe(961_538_461_538_461_538n);
  });

  it("borrow → liquidate → swap → repay → refund leaves the bot's account debt-free, exact to the unit", () => {
    const f = exampleD("osmosis");
    const walletBefore = f.world.bank.balance(f.bot, f.neutral);
    const events = f.cm(f.bot, { update_credit_account: { account_id: "7", actions: liquidationActions(f) } });
    const cm = f.r.creditManager;

    expect(actionEvent(events, cm, "borrow")).toMatchObject({ account_id: "7", debt_shares_added: "1300000000000000", coin_borrowed: `1300000000${f.neutral}` });
    expect(actionEvent(events, cm, "liquidate_deposit")).toMatchObject({
      account_id: "7",
      liquidatee_account_id: "42",
      coin_debt_repaid: `1272340425${f.neutral}`,
      coin_liquidated: `2642553190${f.gas}`,
      protocol_fee_coin: `24468086${f.gas}`,
    });
    // The liquidatee's repay callback removes floor(total_shares·amount/total_debt) shares.
    const repays = wasmEvents(events, cm).filter((e) => e.action === "repay");
    expect(repays[0]).toMatchObject({ account_id: "42", coin_repaid: `1272340425${f.neutral}`, debt_shares_repaid: "1272340425000000" });
    // Swap: fee floor(2_618_085_104 · 0.0005) = 1_309_042 to the rewards-collector account.
    expect(actionEvent(events, cm, "swapper")).toMatchObject({ account_id: "7", coin_in: `2616776062${f.gas}`, denom_out: f.neutral });
    const out = expectedPoolOut(2_616_776_062n, HALF, ONE);
    expect(out).toBeGreaterThan(1_295_000_000n);
    expect(out).toBeLessThan(1_308_388_031n); // below the oracle-ratio estimate: fee + impact
    expect(actionEvent(events, cm, "update_coin_balance")).toMatchObject({ account_id: "7", coin: `${out}${f.neutral}`, change: "increase" });
    expect(repays[1]).toMatchObject({ account_id: "7", coin_repaid: `1300000000${f.neutral}`, debt_shares_repaid: "1300000000000000" });
    expect(actionEvent(events, cm, "callback/assert_health")).toMatchObject({ prev_health_state: "healthy", new_health_state: "healthy" });

    // Refund: 27_659_575 left from the borrow + the swap output − the 1_300_000_000 repaid.
    expect(f.world.bank.balance(f.bot, f.neutral) - walletBefore).toBe(27_659_575n + out - 1_300_000_000n);
    expect(f.positions("7")).toMatchObject({ deposits: [], debts: [] });
    expect(f.positions("42")).toMatchObject({
      deposits: [{ denom: f.gas, amount: "7357446810" }],
      debts: [{ denom: f.neutral, shares: "2627659575000000", amount: "2627659575" }],
    });
    expect(f.deposit(f.r.rewardsCollectorAccountId, f.gas)).toBe(24_468_086n + 1_309_042n);
    expect(f.cmq({ total_debt_shares: f.neutral })).toEqual({ denom: f.neutral, shares: "8727659575000000" });
    expect(f.cmq({ config: {} })).toMatchObject({ rewards_collector: { address: f.c.rewardsCollector, account_id: "1" } });
  });

  it("the excess debt coin (27_659_575) stays in the liquidator's account", () => {
    const f = exampleD("osmosis");
    f.cm(f.bot, {
      update_credit_account: {
        account_id: "7",
        actions: [
          { deposit: { denom: f.neutral, amount: "5000000000" } },
          { borrow: { denom: f.neutral, amount: "1300000000" } },
          { liquidate: { liquidatee_account_id: "42", debt_coin: { denom: f.neutral, amount: "1300000000" }, request: { deposit: f.gas } } },
        ],
      },
    }, [{ denom: f.neutral, amount: "5000000000" }]);
    expect(f.deposit("7", f.neutral)).toBe(5_000_000_000n + 27_659_575n);
    expect(f.deposit("7", f.gas)).toBe(2_618_085_104n);
    expect(f.positions("7").debts).toEqual([{ denom: f.neutral, shares: "1300000000000000", amount: "1300000000" }]);
  });

  it("a swap below min_receive reverts the whole action list", () => {
    const f = exampleD("osmosis");
    const snapshot = () => [f.positions("7"), f.positions("42"), f.cmq({ all_coin_balances: { limit: 30 } }), f.world.bank.balances(f.r.creditManager), f.world.bank.balances(f.bot)];
    const before = JSON.stringify(snapshot(), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    const out = expectedPoolOut(2_616_776_062n, HALF, ONE);
    const msg = errorOf(() => f.cm(f.bot, { update_credit_account: { account_id: "7", actions: liquidationActions(f, (out + 1n).toString()) } }));
    expect(msg).toBe(`token amount calculated (${out}) is lesser than min amount (${out + 1n}): calculated amount is lesser than min amount`);
    expect(JSON.stringify(snapshot(), (_k, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(before);
    expect(f.cmq({ total_debt_shares: f.neutral })).toEqual({ denom: f.neutral, shares: "10000000000000000" });
  });
});
