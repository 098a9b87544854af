import { describe, expect, it } from "vitest";
import { collateralOf, workedExample } from "../../test/red-bank-fixture.js";

describe("rewards collector", () => {
  it("holds the liquidation fee as Red Bank collateral and can withdraw it", () => {
    const f = workedExample("osmosis");
    f.exec(f.liq, f.c.redBank, { liquidate: { user: f.user, collateral_denom: f.gas } }, [{ denom: f.neutral, amount: "2000000000" }]);
    expect(collateralOf(f, f.c.rewardsCollector, f.gas)).toBe(24_468_086n);
    f.exec(f.lender, f.c.rewardsCollector, { withdraw_from_red_bank: { denom: f.gas } });
    expect(f.world.bank.balance(f.c.rewardsCollector, f.gas)).toBe(24_468_086n);
    expect(collateralOf(f, f.c.rewardsCollector, f.gas)).toBe(0n);
    expect(f.query(f.c.rewardsCollector, { config: {} })).toMatchObject({ owner: f.owner, address_provider: f.c.addressProvider });
  });
});
