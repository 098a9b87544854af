import { beforeAll, describe, expect, it } from "vitest";
import { actionAttrs } from "./support/chain-data.js";
import { OSMO_MAINNET_PARAMS, useDevnet, type Coin, type TestDevnet } from "./support/devnet.js";

/**
 * Red Bank liquidation guards through signed transactions (spec §2.5 step 1, §2.7): each refused
 * liquidation surfaces the contract's exact error text in cosmjs' error, worded as wasmd wraps it;
 * then the allowed edge cases — collateral denom equal to the debt denom, and an over-send whose
 * excess is refunded to the sender while the collateral goes to the recipient — exact to the unit.
 */

const dn = useDevnet(["--chain", "osmosis"]);
const HEALTHY = 1, UNHEALTHY = 2, DISABLED = 3, SAME_DENOM = 4, LIQUIDATOR = 5, RECIPIENT = 6;

describe("Red Bank liquidation errors and edge cases [OSMO]", () => {
  beforeAll(async () => {
    const t = dn();
    await t.setUpMarkets([t.gas, t.neutral], { price: "1", params: OSMO_MAINNET_PARAMS, targetHealthFactor: "1.05" });
    await t.zeroInterest([t.atom]);
    const open = async (i: number, collateral: Coin[], debt: string) => {
      const user = t.account(i);
      const deposits = collateral.map((c) => ({ contract: t.c.redBank, msg: { deposit: {} }, funds: [c] }));
      const r = await t.send(user, [...deposits, { contract: t.c.redBank, msg: { borrow: { denom: t.neutral, amount: debt } } }]);
      expect(r.code, r.rawLog).toBe(0);
    };
    const osmo = { denom: t.gas, amount: "10000000000" };
    await open(HEALTHY, [osmo], "1000000000");
    await open(UNHEALTHY, [osmo], "3900000000");
    await open(DISABLED, [osmo, { denom: t.atom, amount: "100000000" }], "3900000000");
    await t.exec(t.account(DISABLED), t.c.redBank, { update_asset_collateral_status: { denom: t.atom, enable: false } });
    expect(await t.query(t.c.redBank, { user_collateral: { user: t.account(DISABLED), denom: t.atom } })).toMatchObject({ amount: "100000000", enabled: false });
    await open(SAME_DENOM, [osmo, { denom: t.neutral, amount: "1000000000" }], "5000000000");
    await t.setOwnerPrice(t.gas, "0.5");
  });

  const usdc = (amount: string) => (t: TestDevnet) => [{ denom: t.neutral, amount }];
  type Case = { name: string; sender?: number; user: (t: TestDevnet) => string; collateral?: (t: TestDevnet) => string; funds: (t: TestDevnet) => Coin[]; error: (t: TestDevnet) => string };
  const CASES: Case[] = [
    { name: "a healthy user", user: (t) => t.account(HEALTHY), funds: usdc("1000000"), error: () => "User's health factor is not less than 1 and thus cannot be liquidated" },
    { name: "self-liquidation", sender: UNHEALTHY, user: (t) => t.account(UNHEALTHY), funds: usdc("1000000"), error: () => "User cannot issue liquidation of own account" },
    { name: "disabled collateral", user: (t) => t.account(DISABLED), collateral: (t) => t.atom, funds: usdc("1000000"), error: (t) => `User can't be liquidated for asset "${t.atom}" not being used as collateral` },
    { name: "no collateral in that denom", user: (t) => t.account(UNHEALTHY), collateral: (t) => t.atom, funds: usdc("1000000"), error: () => "User has no balance in specified collateral asset to be liquidated" },
    { name: "no debt in the sent denom", user: (t) => t.account(UNHEALTHY), funds: (t) => [{ denom: t.atom, amount: "1000000" }], error: () => "User has no outstanding debt in the specified debt asset and thus cannot be liquidated" },
    { name: "no funds", user: (t) => t.account(UNHEALTHY), funds: () => [], error: () => "No funds sent" },
    { name: "two denoms", user: (t) => t.account(UNHEALTHY), funds: (t) => [{ denom: t.neutral, amount: "1000" }, { denom: t.gas, amount: "1000" }].sort((a, b) => a.denom.localeCompare(b.denom)), error: () => "Sent more than one denomination" },
  ];

  it.each(CASES)("refuses $name with the contract's error text", async (x) => {
    const t = dn();
    const sender = t.account(x.sender ?? LIQUIDATOR);
    const msg = { liquidate: { user: x.user(t), collateral_denom: x.collateral?.(t) ?? t.gas } };
    const err = await t.execError(sender, t.c.redBank, msg, x.funds(t));
    expect(err).toMatch(/^Error when broadcasting tx [0-9A-F]{64} at height \d+\. Code: 5; Raw log: /);
    expect(err).toContain(`Raw log: failed to execute message; message index: 0: ${x.error(t)}: execute wasm contract failed`);
  });

  it("allows collateral denom == debt denom (USDC for USDC), exact to the unit", async () => {
    const t = dn();
    const user = t.account(SAME_DENOM);
    const liq = t.account(LIQUIDATOR);
    // TCV 6e9, TDV 5e9, LTADJ 4.5e9: HF 0.9, CR 1.2 → LB 0.1; by_coll floor(1e9 / 1.1) = 909_090_909 wins
    // over MDR 3_333_333_333, the 2e9 sent and the 5e9 debt; seize floor(909_090_909 · 1.1).
    expect(await t.query(t.c.redBank, { user_position_liquidation_pricing: { user } })).toMatchObject({ health_status: { borrowing: { liq_threshold_hf: "0.9" } } });
    const before = await t.balance(liq, t.neutral);
    const r = await t.exec(liq, t.c.redBank, { liquidate: { user, collateral_denom: t.neutral } }, [{ denom: t.neutral, amount: "2000000000" }]);
    expect(actionAttrs(r.events, t.c.redBank, "liquidate")).toMatchObject({ collateral_denom: t.neutral, collateral_amount: "999999999", debt_denom: t.neutral, debt_amount: "909090909" });
    expect(before - (await t.balance(liq, t.neutral))).toBe(909_090_909n);
    const coll = (who: string) => t.query<{ amount: string }>(t.c.redBank, { user_collateral: { user: who, denom: t.neutral } });
    expect((await coll(liq)).amount).toBe("977272726"); // 999_999_999 − fee ceil(90_909_090 · 0.25) = 22_727_273
    expect((await coll(user)).amount).toBe("1");
    expect(await t.query(t.c.redBank, { user_debt: { user, denom: t.neutral } })).toMatchObject({ amount: "4090909091" });
  });

  it("refunds an over-send to the sender and credits the collateral to the recipient", async () => {
    const t = dn();
    const [user, liq, recipient] = [t.account(UNHEALTHY), t.account(LIQUIDATOR), t.account(RECIPIENT)];
    const before = await t.balance(liq, t.neutral);
    const recipientWallet = await t.balance(recipient, t.neutral);
    const r = await t.exec(liq, t.c.redBank, { liquidate: { user, collateral_denom: t.gas, recipient } }, [{ denom: t.neutral, amount: "3000000000" }]);
    expect(actionAttrs(r.events, t.c.redBank, "liquidate")).toMatchObject({ liquidator: liq, recipient, debt_amount: "1272340425", collateral_amount: "2642553190" });
    expect(before - (await t.balance(liq, t.neutral))).toBe(1_272_340_425n); // 1_727_659_575 came back
    expect(await t.balance(recipient, t.neutral)).toBe(recipientWallet);
    const coll = (who: string) => t.query<{ amount: string }>(t.c.redBank, { user_collateral: { user: who, denom: t.gas } });
    expect((await coll(recipient)).amount).toBe("2618085104");
    expect((await coll(liq)).amount).toBe("0");
  });
});
