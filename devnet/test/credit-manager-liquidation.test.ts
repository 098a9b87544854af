import { describe, expect, it } from "vitest";
import { errorOf } from "./red-bank-fixture.js";
import { actionEvent, exampleD, expectedPoolOut, roverFixture, wasmEvents } from "./credit-manager-fixture.js";

/**
 * Credit-manager liquidations beyond example D (spec §6.5): the [NTRN] close factor (example B
 * numbers), `lend` requests, the profitability guard, and the errors of steps 1–2.
 */

describe("neutron credit-account liquidation (static close factor 0.9, LB {0,2,0,0.05}, PLF 0.5)", () => {
  it("repays floor(3_900_000_000·0.9), seizes 7_371_000_000, fee 175_500_000, then swaps, repays and refunds", () => {
    const f = exampleD("neutron");
    expect(f.query(f.r.health, { health_values: { account_id: "42", action: "liquidation" } })).toEqual({
      total_debt_value: "3900000000",
      total_collateral_value: "5000000000",
      max_ltv_adjusted_collateral: "3650000000",
      liquidation_threshold_adjusted_collateral: "3750000000",
      max_ltv_health_factor: "0.935897435897435897",
      liquidation_health_factor: "0.961538461538461538",
      perps_pnl_profit: "0",
      perps_pnl_loss: "0",
      liquidatable: true,
      above_max_ltv: true,
      has_perps: false,
    });
    const walletBefore = f.world.bank.balance(f.bot, f.neutral);
    const events = f.cm(f.bot, {
      update_credit_account: {
        account_id: "7",
        actions: [
          { borrow: { denom: f.neutral, amount: "4000000000" } },
          { liquidate: { liquidatee_account_id: "42", debt_coin: { denom: f.neutral, amount: "4000000000" }, request: { deposit: f.gas } } },
          { swap_exact_in: { coin_in: { denom: f.gas, amount: "account_balance" }, denom_out: f.neutral, min_receive: "3500000000", route: f.route(f.gas, f.neutral) } },
          { repay: { coin: { denom: f.neutral, amount: "account_balance" } } },
          { refund_all_coin_balances: {} },
        ],
      },
    });
    const cm = f.r.creditManager;
    expect(actionEvent(events, cm, "liquidate_deposit")).toMatchObject({
      coin_debt_repaid: `3510000000${f.neutral}`,
      coin_liquidated: `7371000000${f.gas}`,
      protocol_fee_coin: `175500000${f.gas}`,
      debt_price: "1",
      collateral_price: "0.5",
    });
    // [NTRN] the fee attributes precede the action attribute, as in the contract.
    const liqEvent = events.find((e) => e.type === "wasm" && e.attributes.some((a) => a.value === "liquidate_deposit"))!;
    expect(liqEvent.attributes.slice(1, 3)).toEqual([
      { key: "rewards_collector", value: "1" },
      { key: "rewards_collector_fee", value: `175500000${f.gas}` },
    ]);
    // swap fee floor(7_195_500_000 · 0.0005) = 3_597_750
    expect(actionEvent(events, cm, "swapper")).toMatchObject({ coin_in: `7191902250${f.gas}`, rewards_collector_fee: `3597750${f.gas}` });
    const out = expectedPoolOut(7_191_902_250n, { num: 1n, den: 2n }, { num: 1n, den: 1n });
    expect(f.world.bank.balance(f.bot, f.neutral) - walletBefore).toBe(490_000_000n + out - 4_000_000_000n);
    expect(f.positions("7")).toMatchObject({ deposits: [], debts: [], perps: [] });
    expect(f.positions("42")).toMatchObject({ deposits: [{ denom: f.gas, amount: "2629000000" }], debts: [{ denom: f.neutral, amount: "390000000" }] });
    expect(f.deposit("1", f.gas)).toBe(175_500_000n + 3_597_750n);
  });
});

describe("liquidation requests and guards [OSMO]", () => {
  it("a lend request withdraws the seized collateral from the Red Bank with liquidation_related", () => {
    const f = exampleD("osmosis", { lend: true });
    expect(f.positions("42").lends).toEqual([{ denom: f.gas, amount: "10000000000" }]);
    const events = f.cm(f.bot, {
      update_credit_account: {
        account_id: "7",
        actions: [
          { borrow: { denom: f.neutral, amount: "1300000000" } },
          { liquidate: { liquidatee_account_id: "42", debt_coin: { denom: f.neutral, amount: "1300000000" }, request: { lend: f.gas } } },
          { swap_exact_in: { coin_in: { denom: f.gas, amount: "account_balance" }, denom_out: f.neutral, min_receive: "1295000000", route: null } },
          { repay: { coin: { denom: f.neutral, amount: "account_balance" } } },
          { refund_all_coin_balances: {} },
        ],
      },
    });
    expect(actionEvent(events, f.r.creditManager, "liquidate_lend")).toMatchObject({
      coin_debt_repaid: `1272340425${f.neutral}`,
      coin_liquidated: `2642553190${f.gas}`,
      protocol_fee_coin: `24468086${f.gas}`,
    });
    expect(actionEvent(events, f.c.redBank, "withdraw")).toMatchObject({ denom: f.gas, amount: "2642553190" });
    expect(f.positions("42")).toMatchObject({ deposits: [], lends: [{ denom: f.gas, amount: "7357446810" }] });
    expect(f.deposit("1", f.gas)).toBe(24_468_086n + 1_309_042n);
    expect(f.positions("7").debts).toEqual([]);
  });

  it("LiquidationNotProfitable at HF ≈ 0.9999 with starting_lb 0", () => {
    const f = roverFixture("osmosis");
    f.bulk([{ owner: f.user, deposits: [{ denom: f.gas, amount: 10_000_000_000n }], debts: [{ denom: f.neutral, amount: 3_750_375_038n }] }, { owner: f.bot }]);
    const hf = f.query<{ liquidation_health_factor: string }>(f.r.health, { health_values: { account_id: "2", kind: "default", action: "liquidation" } });
    expect(hf.liquidation_health_factor).toBe("0.999899999867693232");
    const msg = errorOf(() =>
      f.cm(f.bot, {
        update_credit_account: {
          account_id: "3",
          actions: [
            { deposit: { denom: f.neutral, amount: "1000" } },
            { liquidate: { liquidatee_account_id: "2", debt_coin: { denom: f.neutral, amount: "1000" }, request: { deposit: f.gas } } },
          ],
        },
      }, [{ denom: f.neutral, amount: "1000" }]),
    );
    expect(msg).toBe(
      `Paying down Coin { denom: "${f.neutral}", amount: Uint128(1000) } for Coin { denom: "${f.gas}", amount: Uint128(2000) } does not result in a profit for the liquidator`,
    );
  });

  it("step 1–2 errors: healthy account, self-liquidation, missing coin, no debt", () => {
    const f = exampleD("osmosis");
    const liq = (target: string, request: unknown, debtDenom = f.neutral) =>
      errorOf(() =>
        f.cm(f.bot, {
          update_credit_account: {
            account_id: "7",
            actions: [
              { deposit: { denom: f.neutral, amount: "100" } },
              { liquidate: { liquidatee_account_id: target, debt_coin: { denom: debtDenom, amount: "100" }, request } },
            ],
          },
        }, [{ denom: f.neutral, amount: "100" }]),
      );
    expect(liq("43", { deposit: f.gas })).toBe('"43" is not a liquidatable credit account. Health factor: "1.229508196721311475".');
    expect(liq("7", { deposit: f.gas })).toBe("Cannot request liquidation on own credit account");
    expect(liq("42", { deposit: "uatom" })).toBe("uatom is not an available coin to request");
    expect(liq("42", { lend: f.gas })).toBe("Nothing lent to reclaim");
    expect(liq("42", { deposit: f.gas }, f.gas)).toBe("No debt to repay");
  });
});
