import { describe, expect, it } from "vitest";
import { COLLS, DEBTS, MARKETS, seedRedBankPositions } from "../src/contracts/red-bank.js";
import { addMarket, fixture, workedExample } from "./red-bank-fixture.js";

/** Raw Red Bank state exactly as spec §3.1–3.2 says a node returns it. */

const hex = (latin1: string) => Buffer.from(latin1, "latin1").toString("hex");
const ADDR = `osmo1${"q".repeat(38)}`; // the spec's illustrative 43-char address

describe("spec §3.2 key examples, byte for byte", () => {
  it("debts: 0005 'debts' 002b <address> <denom>", () => {
    expect(ADDR).toHaveLength(43);
    expect(hex(DEBTS.key(ADDR, "uosmo"))).toBe(`00056465627473002b6f736d6f31${"71".repeat(38)}756f736d6f`);
  });

  it("colls: 0005 'colls' 0042 <66-byte UserIdKey JSON> <denom>", () => {
    const userId = `{"addr":"${ADDR}","acc_id":""}`;
    expect(userId).toHaveLength(66);
    expect(hex(COLLS.key(userId, "uosmo"))).toBe(
      `0005636f6c6c7300427b2261646472223a226f736d6f31${"71".repeat(38)}222c226163635f6964223a22227d756f736d6f`,
    );
  });

  it("markets and the paging prefixes", () => {
    expect(hex(MARKETS.key("uosmo"))).toBe("00076d61726b657473756f736d6f");
    expect(Buffer.from(DEBTS.prefix, "latin1").toString("base64")).toBe("AAVkZWJ0cw==");
    expect(Buffer.from(COLLS.prefix, "latin1").toString("base64")).toBe("AAVjb2xscw==");
  });
});

describe("what the store holds", () => {
  it("seeded entries sit under the spec's keys with the spec's JSON values", () => {
    const f = fixture("osmosis");
    addMarket(f, "uosmo", { price: "1" });
    seedRedBankPositions(f.world, f.c.redBank, [
      { user: f.lender, collaterals: [{ denom: "uosmo", amount: 10_000n }], debts: [] },
      { user: ADDR, collaterals: [{ denom: "uosmo", amount: 1_000n }], debts: [{ denom: "uosmo", amount: 100n }] },
    ]);
    const store = f.world.instance(f.c.redBank).store;
    expect(store.get("guard")).toBe('"unlocked"');
    const debtKey = `00056465627473002b6f736d6f31${"71".repeat(38)}756f736d6f`;
    const collKey = `0005636f6c6c7300427b2261646472223a226f736d6f31${"71".repeat(38)}222c226163635f6964223a22227d756f736d6f`;
    expect(store.get(Buffer.from(debtKey, "hex").toString("latin1"))).toBe('{"amount_scaled":"100000000","uncollateralized":false}');
    expect(store.get(Buffer.from(collKey, "hex").toString("latin1"))).toBe('{"amount_scaled":"1000000000","enabled":true}');
  });

  it("items and a market after real messages (neutron addresses are 46 chars)", () => {
    const f = workedExample("neutron");
    const store = f.world.instance(f.c.redBank).store;
    expect(store.get("contract_info")).toBe('{"contract":"crates.io:mars-red-bank","version":"2.3.3"}');
    expect(store.get("config")).toBe(`{"address_provider":"${f.c.addressProvider}"}`);
    expect(store.get("owner")).toBe(`{"std":{"owner":"${f.owner}","emergency_owner":null}}`);
    expect(f.user).toHaveLength(46);
    const debts = store.prefix(DEBTS.prefix).map(([k, v]) => [hex(k), v]);
    expect(debts).toEqual([
      [`00056465627473002e${hex(f.user)}${hex(f.neutral)}`, '{"amount_scaled":"3900000000000000","uncollateralized":false}'],
    ]);
    expect(store.get(MARKETS.key(f.neutral))).toBe(
      `{"denom":"${f.neutral}","reserve_factor":"0","interest_rate_model":{"optimal_utilization_rate":"0.8","base":"0","slope_1":"0","slope_2":"0"},` +
        `"borrow_index":"1","liquidity_index":"1","borrow_rate":"0","liquidity_rate":"0","indexes_last_updated":${f.world.block.time},` +
        `"collateral_total_scaled":"20000000000000000","debt_total_scaled":"3900000000000000"}`,
    );
  });
});
