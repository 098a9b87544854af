import { beforeAll, describe, expect, it } from "vitest";
import { setStale } from "../src/contracts/oracle-prices.js";
import { actionAttrs, createCreditAccount, debtors, scanDebts } from "./support/chain-data.js";
import { OSMO_MAINNET_PARAMS, useDevnet, type TestDevnet } from "./support/devnet.js";

/**
 * The remaining fixtures of spec §10 through signed transactions: the credit manager's
 * `LiquidationNotProfitable` at HF ≈ 0.9999 with starting_lb 0, the credit manager as a Red Bank
 * debtor (skipped by scanners, refused by the Red Bank), a stale `default` price with a valid
 * `liquidation` price, and the chain semantics of a failing tx (state reverted, fee charged,
 * sequence bumped) next to a failing simulation (nothing broadcast).
 */

const dn = useDevnet(["--chain", "osmosis"]);

async function openRedBank(t: TestDevnet, user: string, debt: string): Promise<void> {
  await t.exec(user, t.c.redBank, { deposit: {} }, [{ denom: t.gas, amount: "10000000000" }]);
  await t.exec(user, t.c.redBank, { borrow: { denom: t.neutral, amount: debt } });
}

describe("credit-manager, oracle and tx-level failure cases [OSMO]", () => {
  beforeAll(async () => {
    const t = dn();
    await t.setUpMarkets([t.gas, t.neutral], { price: "1", params: OSMO_MAINNET_PARAMS, targetHealthFactor: "1.05" });
  });

  it("credit manager: LiquidationNotProfitable at HF 0.9999 (LB 0.0001 rounds away), a larger repay is profitable", async () => {
    const t = dn();
    const T = await createCreditAccount(t, t.account(1));
    const open = [
      { deposit: { denom: t.gas, amount: "10000000000" } },
      { borrow: { denom: t.neutral, amount: "3750375038" } },
      { withdraw: { denom: t.neutral, amount: "account_balance" } },
    ];
    await t.exec(t.account(1), t.c.creditManager, { update_credit_account: { account_id: T, actions: open } }, [{ denom: t.gas, amount: "10000000000" }]);
    await t.setOwnerPrice(t.gas, "0.5");
    const hv = await t.query(t.c.health, { health_values: { account_id: T, kind: "default", action: "liquidation" } });
    expect(hv).toMatchObject({ liquidation_health_factor: "0.999899999867693232", liquidatable: true });

    const L = await createCreditAccount(t, t.account(2));
    const liquidate = (amount: string) => ({
      update_credit_account: {
        account_id: L,
        actions: [
          { deposit: { denom: t.neutral, amount } },
          { liquidate: { liquidatee_account_id: T, debt_coin: { denom: t.neutral, amount }, request: { deposit: t.gas } } },
        ],
      },
    });
    const err = await t.execError(t.account(2), t.c.creditManager, liquidate("1000"), [{ denom: t.neutral, amount: "1000" }]);
    expect(err).toContain(
      `Raw log: failed to execute message; message index: 0: Paying down Coin { denom: "${t.neutral}", amount: Uint128(1000) } for Coin { denom: "${t.gas}", amount: Uint128(2000) } does not result in a profit for the liquidator: execute wasm contract failed`,
    );
    const r = await t.exec(t.account(2), t.c.creditManager, liquidate("100000000"), [{ denom: t.neutral, amount: "100000000" }]);
    const ev = actionAttrs(r.events, t.c.creditManager, "liquidate_deposit");
    expect(ev.coin_debt_repaid).toBe(`100000000${t.neutral}`);
    // seize floor(floor(1e8 · 1.0001) / 0.5) = 200_020_000; fee floor(ceil(10_000 · 0.25) / 0.5) = 5_000.
    expect(ev).toMatchObject({ coin_liquidated: `200020000${t.gas}`, protocol_fee_coin: `5000${t.gas}` });
  });

  it("the credit manager is a Red Bank debtor flagged uncollateralized: scanners skip it, the Red Bank refuses it", async () => {
    const t = dn();
    const { entries } = await scanDebts(t);
    const cmDebt = entries.filter((e) => e.user === t.c.creditManager);
    expect(cmDebt).toEqual([{ user: t.c.creditManager, denom: t.neutral, amount_scaled: expect.any(String), uncollateralized: true }]);
    expect(entries.filter((e) => e.uncollateralized).map((e) => e.user)).toEqual([t.c.creditManager]);
    const liquidatable = await t.admin<{ redBank: string[] }>("GET", "/liquidatable");
    expect(liquidatable.body.redBank).not.toContain(t.c.creditManager);
    const err = await t.execError(t.account(4), t.c.redBank, { liquidate: { user: t.c.creditManager, collateral_denom: t.gas } }, [{ denom: t.neutral, amount: "1000000" }]);
    expect(err).toContain("message index: 0: Cannot liquidate credit manager (use credit-manager contract liquidate function): execute wasm contract failed");
  });

  it("a stale default price blocks default-priced actions while the liquidation price still liquidates", async () => {
    const t = dn();
    const [user, liq] = [t.account(3), t.account(4)];
    await t.setOwnerPrice(t.gas, "1");
    await openRedBank(t, user, "3900000000");
    expect((await t.admin("POST", "/prices", { prices: { [t.gas]: "0.5" }, kind: "liquidation" })).status).toBe(200);
    const oracle = t.devnet.genesis.world.instance(t.c.oracle).store;
    setStale(oracle, t.gas, true, t.devnet.genesis.world.block.time);
    try {
      const stale = /Invalid price: current price publish time is too old\/stale\. published: \d+, now: \d+/;
      await expect(t.query(t.c.oracle, { price: { denom: t.gas, kind: "default" } })).rejects.toThrow(stale);
      expect(await t.query(t.c.oracle, { price: { denom: t.gas, kind: "liquidation" } })).toEqual({ denom: t.gas, price: "0.5" });
      await expect(t.query(t.c.redBank, { user_position: { user } })).rejects.toThrow(stale);
      expect(await t.query(t.c.redBank, { user_position_liquidation_pricing: { user } })).toMatchObject({ health_status: { borrowing: { liq_threshold_hf: "0.961538461538461538" } } });
      expect((await t.admin<{ redBank: string[] }>("GET", "/liquidatable")).body.redBank).toContain(user);
      expect(await t.execError(user, t.c.redBank, { borrow: { denom: t.neutral, amount: "1" } })).toMatch(stale);

      const r = await t.exec(liq, t.c.redBank, { liquidate: { user, collateral_denom: t.gas } }, [{ denom: t.neutral, amount: "2000000000" }]);
      expect(actionAttrs(r.events, t.c.redBank, "liquidate")).toMatchObject({ debt_amount: "1272340425", collateral_amount: "2642553190" });
    } finally {
      setStale(oracle, t.gas, false, 0);
    }
    expect(await t.query(t.c.redBank, { user_debt: { user, denom: t.neutral } })).toMatchObject({ amount: "2627659575" });
  });

  it("a failing tx reverts its messages but charges the fee and bumps the sequence; a failing simulation sends nothing", async () => {
    const t = dn();
    const [sender, healthy] = [t.account(5), t.account(6)];
    await t.setOwnerPrice(t.gas, "1");
    await openRedBank(t, healthy, "100000000");
    const feeCollector = t.devnet.chain.feeCollector;
    const snapshot = async () => ({
      sequence: (await t.client.getSequence(sender)).sequence,
      usdc: await t.balance(sender, t.neutral),
      gas: await t.balance(sender, t.gas),
      deposit: (await t.query<{ amount: string }>(t.c.redBank, { user_collateral: { user: sender, denom: t.neutral } })).amount,
      collector: await t.balance(feeCollector, t.gas),
    });
    const before = await snapshot();
    const r = await t.send(sender, [
      { contract: t.c.redBank, msg: { deposit: {} }, funds: [{ denom: t.neutral, amount: "1000000000" }] },
      { contract: t.c.redBank, msg: { liquidate: { user: healthy, collateral_denom: t.gas } }, funds: [{ denom: t.neutral, amount: "1000000" }] },
    ]);
    expect(r.code).toBe(5);
    expect(r.rawLog).toBe("failed to execute message; message index: 1: User's health factor is not less than 1 and thus cannot be liquidated: execute wasm contract failed");
    expect(r.events.filter((e) => e.type === "wasm" || e.type === "execute")).toEqual([]);
    expect(r.events.find((e) => e.type === "tx")?.attributes).toContainEqual({ key: "fee", value: `${t.feeAmount}${t.gas}` });
    expect(await snapshot()).toEqual({ ...before, sequence: before.sequence + 1, gas: before.gas - t.feeAmount, collector: before.collector + t.feeAmount });
    const indexed = await t.client.getTx(r.transactionHash);
    expect(indexed).toMatchObject({ code: 5, height: r.height, rawLog: r.rawLog });

    // With "auto" gas, cosmjs simulates first: the contract error surfaces and nothing is broadcast.
    const sim = t.client.execute(sender, t.c.redBank, { liquidate: { user: healthy, collateral_denom: t.gas } }, "auto", "", [{ denom: t.neutral, amount: "1000000" }]);
    await expect(sim).rejects.toThrow(/User's health factor is not less than 1 and thus cannot be liquidated: execute wasm contract failed With gas wanted: '\d+' and gas used: '\d+'/);
    expect((await t.client.getSequence(sender)).sequence).toBe(before.sequence + 1);
  });
});
