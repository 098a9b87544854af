import { beforeAll, describe, expect, it } from "vitest";
import { accountDeposit, actionAttrs, createCreditAccount, positions } from "./support/chain-data.js";
import { useDevnet } from "./support/devnet.js";

/**
 * A [NTRN] credit-manager liquidation through signed transactions: the position of spec §2.6
 * (10_000 NTRN at 0.5, 3_900 USDC debt, LT 0.75) held by a credit account, liquidated by another
 * account with the static close factor 0.9 and the Neutron LB curve {0, 2, 0, 0.05}, PLF 0.5 —
 * the numbers of worked example B, applied by the credit manager (spec §6.5 step 3).
 */

const dn = useDevnet(["--chain", "neutron"]);

describe("neutron credit-manager liquidation with the close factor", () => {
  let T: string;
  let L: string;
  beforeAll(async () => {
    const t = dn();
    const params = {
      max_loan_to_value: "0.73", liquidation_threshold: "0.75", liquidation_bonus: { starting_lb: "0", slope: "2", min_lb: "0", max_lb: "0.05" },
      protocol_liquidation_fee: "0.5", close_factor: "0.9",
    };
    await t.setUpMarkets([t.gas, t.neutral], { price: "1", params });
    expect(await t.query(t.c.params, { asset_params: { denom: t.gas } })).toMatchObject({ ...params, reserve_factor: "0", interest_rate_model: { slope_1: "0", slope_2: "0" } });
    const user = t.account(1);
    T = await createCreditAccount(t, user);
    const actions = [
      { deposit: { denom: t.gas, amount: "10000000000" } },
      { borrow: { denom: t.neutral, amount: "3900000000" } },
      { withdraw: { denom: t.neutral, amount: "account_balance" } },
    ];
    await t.exec(user, t.c.creditManager, { update_credit_account: { account_id: T, actions } }, [{ denom: t.gas, amount: "10000000000" }]);
    L = await createCreditAccount(t, t.account(2));
    await t.setOwnerPrice(t.gas, "0.5");
  });

  it("the health contract sees HF 0.961538461538461538 at liquidation prices", async () => {
    const t = dn();
    expect(await t.query(t.c.health, { health_values: { account_id: T, action: "liquidation" } })).toMatchObject({
      total_debt_value: "3900000000",
      total_collateral_value: "5000000000",
      liquidation_threshold_adjusted_collateral: "3750000000",
      liquidation_health_factor: "0.961538461538461538",
      liquidatable: true,
    });
  });

  it("repays floor(0.9 · debt), seizes 7_371_000_000 with LB 0.05 and the excess stays in L until refunded", async () => {
    const t = dn();
    const bot = t.account(2);
    const rc = (await t.query<{ rewards_collector: { account_id: string } }>(t.c.creditManager, { config: {} })).rewards_collector.account_id;
    const [usdcBefore, ntrnBefore, rcBefore] = [await t.balance(bot, t.neutral), await t.balance(bot, t.gas), await accountDeposit(t, rc, t.gas)];
    const liquidate = { liquidate: { liquidatee_account_id: T, debt_coin: { denom: t.neutral, amount: "4000000000" }, request: { deposit: t.gas } } };

    // The excess debt coin (4e9 − 3.51e9) stays in L's balance (spec §6.5 step 5) until L refunds it.
    const r1 = await t.exec(bot, t.c.creditManager, { update_credit_account: { account_id: L, actions: [{ deposit: { denom: t.neutral, amount: "4000000000" } }, liquidate] } }, [
      { denom: t.neutral, amount: "4000000000" },
    ]);
    expect((await positions(t, L)).deposits).toEqual(expect.arrayContaining([{ denom: t.neutral, amount: "490000000" }, { denom: t.gas, amount: "7195500000" }]));
    await t.exec(bot, t.c.creditManager, { update_credit_account: { account_id: L, actions: [{ refund_all_coin_balances: {} }] } });
    expect(actionAttrs(r1.events, t.c.creditManager, "liquidate_deposit")).toMatchObject({
      account_id: L,
      liquidatee_account_id: T,
      coin_debt_repaid: `3510000000${t.neutral}`,
      coin_liquidated: `7371000000${t.gas}`,
      protocol_fee_coin: `175500000${t.gas}`,
      debt_price: "1",
      collateral_price: "0.5",
    });
    // [NTRN] the fee also shows as the rewards collector's (emitted just before the action).
    const wasm = r1.events.filter((e) => e.type === "wasm" && e.attributes.some((a) => a.value === "liquidate_deposit"));
    expect(wasm[0]?.attributes).toEqual(expect.arrayContaining([{ key: "rewards_collector", value: rc }, { key: "rewards_collector_fee", value: `175500000${t.gas}` }]));

    expect(usdcBefore - (await t.balance(bot, t.neutral))).toBe(3_510_000_000n);
    expect((await t.balance(bot, t.gas)) - ntrnBefore).toBe(7_195_500_000n - 2n * t.feeAmount);
    expect((await accountDeposit(t, rc, t.gas)) - rcBefore).toBe(175_500_000n);
    expect(await positions(t, L)).toMatchObject({ deposits: [], debts: [] });
    expect(await positions(t, T)).toMatchObject({
      deposits: [{ denom: t.gas, amount: "2629000000" }],
      debts: [{ denom: t.neutral, shares: "390000000000000", amount: "390000000" }],
    });
    expect(await t.query(t.c.redBank, { user_debt: { user: t.c.creditManager, denom: t.neutral } })).toMatchObject({ amount: "390000000", uncollateralized: true });
    const recs = await t.admin<{ account: string; liquidator: string; debtRepaid: string; collateralSeized: string; txHash: string }[]>("GET", `/liquidations?since=${r1.height}`);
    expect(recs.body).toMatchObject([{ product: "rover", account: T, liquidator: L, debtRepaid: "3510000000", collateralSeized: "7371000000", txHash: r1.transactionHash, height: r1.height }]);
  });

  it("after the close-factor liquidation T (HF 2.53) cannot be liquidated again", async () => {
    const t = dn();
    const hv = await t.query<{ liquidation_health_factor: string; liquidatable: boolean }>(t.c.health, { health_values: { account_id: T, action: "liquidation" } });
    // 2_629_000_000 · 0.5 · 0.75 / 390_000_000
    expect(hv).toMatchObject({ liquidatable: false, liquidation_health_factor: "2.527884615384615384" });
    const actions = [
      { deposit: { denom: t.neutral, amount: "1000000" } },
      { liquidate: { liquidatee_account_id: T, debt_coin: { denom: t.neutral, amount: "1000000" }, request: { deposit: t.gas } } },
    ];
    const err = await t.execError(t.account(2), t.c.creditManager, { update_credit_account: { account_id: L, actions } }, [{ denom: t.neutral, amount: "1000000" }]);
    expect(err).toContain(`"${T}" is not a liquidatable credit account. Health factor: "2.527884615384615384".`);
  });
});
