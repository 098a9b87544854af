import { beforeAll, describe, expect, it } from "vitest";
import { accountDeposit, actionAttrs, createCreditAccount, positions, wasmSegments } from "./support/chain-data.js";
import { OSMO_MAINNET_PARAMS, useDevnet, type TestDevnet } from "./support/devnet.js";

/**
 * Worked example D of spec §6.5 [OSMO] on a running devnet through signed transactions: two
 * borrowers build the credit manager's Red Bank debt (1e10 USDC, 1e16 shares, T holding 3.9e15),
 * the owner halves the OSMO price, and the liquidator's bot account L does borrow → liquidate →
 * swap_exact_in → repay → refund_all_coin_balances in one `update_credit_account` tx.
 */

const dn = useDevnet(["--chain", "osmosis"]);

/** The devnet's OSMO/USDC pool (id 1: $20M deep, 0.2 % fee), re-centred at the oracle prices 0.5 and 1. */
function poolOut(amountIn: bigint): bigint {
  const half = (20_000_000n * 1_000_000n) / 2n;
  const x = half * 2n; // uosmo at 0.5
  const y = half; // USDC at 1
  const aEff = amountIn * 9_980n;
  return (y * aEff) / (x * 10_000n + aEff);
}

async function borrower(t: TestDevnet, owner: string, collateral: bigint, debt: bigint): Promise<string> {
  const id = await createCreditAccount(t, owner);
  const actions = [
    { deposit: { denom: t.gas, amount: collateral.toString() } },
    { borrow: { denom: t.neutral, amount: debt.toString() } },
    { withdraw: { denom: t.neutral, amount: "account_balance" } },
  ];
  await t.exec(owner, t.c.creditManager, { update_credit_account: { account_id: id, actions } }, [{ denom: t.gas, amount: collateral.toString() }]);
  return id;
}

describe("worked example D through a signed update_credit_account [OSMO]", () => {
  let T: string;
  let L: string;
  let rc: string;
  beforeAll(async () => {
    const t = dn();
    await t.setUpMarkets([t.gas, t.neutral], { price: "1", params: OSMO_MAINNET_PARAMS, targetHealthFactor: "1.05" });
    T = await borrower(t, t.account(1), 10_000_000_000n, 3_900_000_000n);
    await borrower(t, t.account(2), 20_000_000_000n, 6_100_000_000n);
    L = await createCreditAccount(t, t.account(3));
    await t.setOwnerPrice(t.gas, "0.5");
    rc = (await t.query<{ rewards_collector: { account_id: string } }>(t.c.creditManager, { config: {} })).rewards_collector.account_id;
  });

  it("starts from the spec's position: 3.9e15 of 1e16 shares, debt 3_900_000_000, HF 0.961538461538461538", async () => {
    const t = dn();
    expect(await positions(t, T)).toMatchObject({ deposits: [{ denom: t.gas, amount: "10000000000" }], debts: [{ denom: t.neutral, shares: "3900000000000000", amount: "3900000000" }], lends: [] });
    expect(await t.query(t.c.creditManager, { total_debt_shares: t.neutral })).toEqual({ denom: t.neutral, shares: "10000000000000000" });
    expect(await t.query(t.c.redBank, { user_debt: { user: t.c.creditManager, denom: t.neutral } })).toMatchObject({ amount: "10000000000", uncollateralized: true });
    expect(await t.query(t.c.health, { health_values: { account_id: T, kind: "default", action: "liquidation" } })).toEqual({
      total_debt_value: "3900000000",
      total_collateral_value: "5000000000",
      max_ltv_adjusted_collateral: "3650000000",
      liquidation_threshold_adjusted_collateral: "3750000000",
      max_ltv_health_factor: "0.935897435897435897",
      liquidation_health_factor: "0.961538461538461538",
      liquidatable: true,
      above_max_ltv: true,
    });
  });

  it("borrow → liquidate → swap → repay → refund: exact amounts, events, refund to the wallet, ground truth", async () => {
    const t = dn();
    const bot = t.account(3);
    const [usdcBefore, osmoBefore, rcBefore] = [await t.balance(bot, t.neutral), await t.balance(bot, t.gas), await accountDeposit(t, rc, t.gas)];
    const actions = [
      { borrow: { denom: t.neutral, amount: "1300000000" } },
      { liquidate: { liquidatee_account_id: T, debt_coin: { denom: t.neutral, amount: "1300000000" }, request: { deposit: t.gas } } },
      { swap_exact_in: { coin_in: { denom: t.gas, amount: "account_balance" }, denom_out: t.neutral, min_receive: "1295000000", route: { osmo: { swaps: [{ pool_id: 1, to: t.neutral }] } } } },
      { repay: { coin: { denom: t.neutral, amount: "account_balance" } } },
      { refund_all_coin_balances: {} },
    ];
    const r = await t.exec(bot, t.c.creditManager, { update_credit_account: { account_id: L, actions } });
    const cm = t.c.creditManager;

    expect(actionAttrs(r.events, cm, "borrow")).toMatchObject({ account_id: L, debt_shares_added: "1300000000000000", coin_borrowed: `1300000000${t.neutral}` });
    expect(actionAttrs(r.events, cm, "liquidate_deposit")).toMatchObject({
      account_id: L,
      liquidatee_account_id: T,
      coin_debt_repaid: `1272340425${t.neutral}`,
      coin_liquidated: `2642553190${t.gas}`,
      protocol_fee_coin: `24468086${t.gas}`,
    });
    const repays = wasmSegments(r.events, cm).filter((s) => s.action === "repay");
    expect(repays.map((s) => [s.account_id, s.coin_repaid, s.debt_shares_repaid])).toEqual([
      [T, `1272340425${t.neutral}`, "1272340425000000"],
      [L, `1300000000${t.neutral}`, "1300000000000000"],
    ]);
    // Swap fee floor(2_618_085_104 · 0.0005) = 1_309_042 to the rewards-collector account (checked below); the rest goes to pool 1.
    expect(actionAttrs(r.events, cm, "swapper")).toMatchObject({ account_id: L, coin_in: `2616776062${t.gas}`, denom_out: t.neutral });
    const out = poolOut(2_616_776_062n);
    expect(out).toBeGreaterThan(1_295_000_000n);
    expect(out).toBeLessThan(1_308_388_031n); // below the oracle-ratio estimate: fee and impact
    expect(actionAttrs(r.events, cm, "update_coin_balance")).toMatchObject({ account_id: L, coin: `${out}${t.neutral}`, change: "increase" });
    expect(actionAttrs(r.events, cm, "callback/assert_health")).toMatchObject({ prev_health_state: "healthy", new_health_state: "healthy" });

    // The refund: 27_659_575 left over from the borrow + the swap output − the 1_300_000_000 repaid.
    const refund = 27_659_575n + out - 1_300_000_000n;
    expect((await t.balance(bot, t.neutral)) - usdcBefore).toBe(refund);
    expect(osmoBefore - (await t.balance(bot, t.gas))).toBe(t.feeAmount);
    const transfer = r.events.find((e) => e.type === "transfer" && e.attributes.some((a) => a.key === "recipient" && a.value === bot));
    expect(transfer?.attributes).toEqual(expect.arrayContaining([{ key: "sender", value: cm }, { key: "amount", value: `${refund}${t.neutral}` }]));

    expect(await positions(t, L)).toMatchObject({ deposits: [], debts: [] });
    expect(await positions(t, T)).toMatchObject({
      deposits: [{ denom: t.gas, amount: "7357446810" }],
      debts: [{ denom: t.neutral, shares: "2627659575000000", amount: "2627659575" }],
    });
    expect((await accountDeposit(t, rc, t.gas)) - rcBefore).toBe(24_468_086n + 1_309_042n);
    expect(await t.query(cm, { total_debt_shares: t.neutral })).toEqual({ denom: t.neutral, shares: "8727659575000000" });
    expect(await t.query(t.c.redBank, { user_debt: { user: cm, denom: t.neutral } })).toMatchObject({ amount: "8727659575", uncollateralized: true });

    // The admin API recorded the liquidation from the block's events.
    const recs = await t.admin<Record<string, unknown>[]>("GET", `/liquidations?since=${r.height}`);
    expect(recs.body).toEqual([
      {
        height: r.height, txHash: r.transactionHash, product: "rover", account: T, liquidator: L,
        debtDenom: t.neutral, debtRepaid: "1272340425", collateralDenom: t.gas, collateralSeized: "2642553190",
      },
    ]);
  });

  it("T ends just below the target health factor 1.05 and a second liquidation is refused", async () => {
    const t = dn();
    const hv = await t.query<{ liquidation_health_factor: string; liquidatable: boolean }>(t.c.health, { health_values: { account_id: T, kind: "default", action: "liquidation" } });
    expect(hv.liquidatable).toBe(false);
    expect(hv.liquidation_health_factor.startsWith("1.04999")).toBe(true);
    const actions = [
      { deposit: { denom: t.neutral, amount: "1000000" } },
      { liquidate: { liquidatee_account_id: T, debt_coin: { denom: t.neutral, amount: "1000000" }, request: { deposit: t.gas } } },
    ];
    const err = await t.execError(t.account(3), t.c.creditManager, { update_credit_account: { account_id: L, actions } }, [{ denom: t.neutral, amount: "1000000" }]);
    expect(err).toContain(`"${T}" is not a liquidatable credit account. Health factor: "${hv.liquidation_health_factor}".`);
  });
});
