import { beforeAll, describe, expect, it } from "vitest";
import { actionAttrs } from "./support/chain-data.js";
import { OSMO_MAINNET_PARAMS, useDevnet } from "./support/devnet.js";

/**
 * Worked examples A and C of spec §2.6 [OSMO] on a running devnet, exact to the unit, through
 * signed transactions only: the owner administers the genesis markets with the Mars owner
 * messages (as shared/tools/devnet-conformance.mjs does), a user deposits and borrows, the owner
 * moves the oracle price, a liquidator liquidates; then the chain is read back with cosmjs.
 */

const dn = useDevnet(["--chain", "osmosis"]);

type Amount = { denom: string; amount: string };
interface UserCollateral { amount: string; enabled: boolean }
interface UserPosition { total_enabled_collateral: string; total_collateralized_debt: string; weighted_liquidation_threshold_collateral: string; health_status: { borrowing: { liq_threshold_hf: string } } }

const CASES = [
  {
    name: "A: MDR (target health factor 1.05) caps the repay",
    user: 1, liquidator: 2, debt: 3_900_000_000n, send: 2_000_000_000n,
    hf: "0.961538461538461538",
    repay: 1_272_340_425n, seize: 2_642_553_190n, fee: 24_468_086n, toLiquidator: 2_618_085_104n, refund: 727_659_575n,
    collateralAfter: 7_357_446_810n, debtAfter: 2_627_659_575n,
  },
  {
    name: "C: collateral-limited, LB = min_lb, bad debt remains",
    user: 3, liquidator: 4, debt: 5_200_000_000n, send: 6_000_000_000n,
    hf: "0.721153846153846153",
    repay: 4_761_904_761n, seize: 9_999_999_998n, fee: 119_047_620n, toLiquidator: 9_880_952_378n, refund: 1_238_095_239n,
    collateralAfter: 2n, debtAfter: 438_095_239n,
  },
];

describe("Red Bank worked examples through signed txs [OSMO]", () => {
  beforeAll(async () => {
    const t = dn();
    // The owner's messages: prices, asset params (mainnet LB curve and protocol fee), a zero-rate
    // interest model so amounts do not drift, and the target health factor.
    await t.setUpMarkets([t.gas, t.neutral], { price: "1", params: OSMO_MAINNET_PARAMS, targetHealthFactor: "1.05" });
    expect(await t.query(t.c.params, { target_health_factor: {} })).toBe("1.05");
  });

  it.each(CASES)("$name", async (x) => {
    const t = dn();
    const user = t.account(x.user);
    const liq = t.account(x.liquidator);
    await t.setOwnerPrice(t.gas, "1");
    await t.exec(user, t.c.redBank, { deposit: {} }, [{ denom: t.gas, amount: "10000000000" }]);
    await t.exec(user, t.c.redBank, { borrow: { denom: t.neutral, amount: x.debt.toString() } });
    await t.setOwnerPrice(t.gas, "0.5");

    const pos = await t.query<UserPosition>(t.c.redBank, { user_position_liquidation_pricing: { user } });
    expect(pos).toMatchObject({ total_enabled_collateral: "5000000000", total_collateralized_debt: x.debt.toString(), weighted_liquidation_threshold_collateral: "3750000000" });
    expect(pos.health_status.borrowing.liq_threshold_hf).toBe(x.hf);

    const rcBefore = BigInt((await t.query<UserCollateral>(t.c.redBank, { user_collateral: { user: t.c.rewardsCollector, denom: t.gas } })).amount);
    const walletBefore = await t.balance(liq, t.neutral);
    const r = await t.exec(liq, t.c.redBank, { liquidate: { user, collateral_denom: t.gas, recipient: null } }, [{ denom: t.neutral, amount: x.send.toString() }]);

    expect(actionAttrs(r.events, t.c.redBank, "liquidate")).toMatchObject({
      user, liquidator: liq, recipient: liq,
      collateral_denom: t.gas, collateral_amount: x.seize.toString(), collateral_amount_scaled: (x.seize * 1_000_000n).toString(),
      debt_denom: t.neutral, debt_amount: x.repay.toString(), debt_amount_scaled: (x.repay * 1_000_000n).toString(),
    });
    // The excess is refunded to the sender by a bank send from the Red Bank.
    const refund = r.events.find((e) => e.type === "transfer" && e.attributes.some((a) => a.key === "sender" && a.value === t.c.redBank));
    expect(refund?.attributes).toEqual(expect.arrayContaining([{ key: "recipient", value: liq }, { key: "amount", value: `${x.refund}${t.neutral}` }]));
    expect(walletBefore - (await t.balance(liq, t.neutral))).toBe(x.send - x.refund);
    expect(x.send - x.refund).toBe(x.repay);

    const coll = (who: string) => t.query<UserCollateral>(t.c.redBank, { user_collateral: { user: who, denom: t.gas } });
    expect(await coll(liq)).toMatchObject({ amount: x.toLiquidator.toString(), enabled: true });
    expect(BigInt((await coll(t.c.rewardsCollector)).amount) - rcBefore).toBe(x.fee);
    expect(x.toLiquidator + x.fee).toBe(x.seize);
    expect((await coll(user)).amount).toBe(x.collateralAfter.toString());
    expect(await t.query<Amount>(t.c.redBank, { user_debt: { user, denom: t.neutral } })).toMatchObject({ amount: x.debtAfter.toString() });

    // The liquidator takes its tokens out with a full withdraw (spec §2.5 step 8).
    const gasBefore = await t.balance(liq, t.gas);
    await t.exec(liq, t.c.redBank, { withdraw: { denom: t.gas, amount: null } });
    expect((await t.balance(liq, t.gas)) - gasBefore).toBe(x.toLiquidator - t.feeAmount);
  });

  it("C leaves the user with bad debt: debt value above collateral value at liquidation prices", async () => {
    const t = dn();
    const pos = await t.query<UserPosition>(t.c.redBank, { user_position_liquidation_pricing: { user: t.account(3) } });
    expect(pos.total_enabled_collateral).toBe("1"); // 2 uosmo at 0.5
    expect(pos.total_collateralized_debt).toBe("438095239");
    const bad = await t.admin<{ redBank: { user: string; shortfall: string }[] }>("GET", "/bad-debt");
    expect(bad.body.redBank).toContainEqual({ user: t.account(3), shortfall: "438095238" });
  });
});
