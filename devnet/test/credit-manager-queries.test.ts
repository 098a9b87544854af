import { describe, expect, it } from "vitest";
import { errorOf } from "./red-bank-fixture.js";
import { roverFixture } from "./credit-manager-fixture.js";

/** Credit-manager and account-NFT queries and raw storage (spec §3.3, §6.3). */

const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");
const utf8hex = (s: string) => Buffer.from(s, "utf8").toString("hex");

describe("pagination over > 30 debtors", () => {
  it("all_debt_shares pages by (account id length, id, denom) with exclusive start_after", () => {
    const f = roverFixture("osmosis");
    const accounts = Array.from({ length: 35 }, (_, i) => ({
      owner: f.other,
      deposits: [{ denom: f.gas, amount: 10_000_000_000n }],
      debts: [{ denom: f.neutral, amount: BigInt(1_000_000 + i) }],
    }));
    const ids = f.bulk(accounts);
    expect(ids[0]).toBe("2");
    expect(ids.at(-1)).toBe("36");
    type Item = { account_id: string; denom: string; shares: string };
    const first = f.cmq<Item[]>({ all_debt_shares: { start_after: null, limit: 100 } });
    expect(first).toHaveLength(30);
    expect(first.map((x) => x.account_id)).toEqual(ids.slice(0, 30));
    expect(first[0]).toEqual({ account_id: "2", denom: f.neutral, shares: "1000000000000" });
    const last = first.at(-1)!;
    const second = f.cmq<Item[]>({ all_debt_shares: { start_after: [last.account_id, last.denom], limit: 30 } });
    expect(second.map((x) => x.account_id)).toEqual(ids.slice(30));
    expect(f.cmq<Item[]>({ all_debt_shares: {} })).toHaveLength(10);
    const balances = f.cmq<{ account_id: string; denom: string; amount: string }[]>({ all_coin_balances: { start_after: ["9", f.gas], limit: 2 } });
    expect(balances).toEqual([
      { account_id: "10", denom: f.gas, amount: "10000000000" },
      { account_id: "11", denom: f.gas, amount: "10000000000" },
    ]);
    expect(f.cmq({ all_total_debt_shares: {} })).toEqual([{ denom: f.neutral, shares: f.cmq<{ shares: string }>({ total_debt_shares: f.neutral }).shares }]);
    expect(f.cmq({ swap_fee_rate: {} })).toBe("0.0005");
  });
});

describe("account NFT storage (cw721-base 0.18)", () => {
  it("stores tokens, the tokens__owner index, next_id and num_tokens with the real raw keys", () => {
    const f = roverFixture("osmosis");
    f.bulk(Array.from({ length: 9 }, () => ({ owner: f.other })));
    f.cm(f.user, { create_credit_account: "default" });
    const store = f.world.instance(f.r.accountNft).store;
    const tokenKey = "\x00\x06tokens" + "11";
    expect(hex(tokenKey)).toBe("0006" + utf8hex("tokens") + utf8hex("11"));
    expect(JSON.parse(store.get(tokenKey)!)).toEqual({ owner: f.user, approvals: [], token_uri: null, extension: {} });
    const indexKey = "\x00\x0dtokens__owner" + String.fromCharCode(0, f.user.length) + f.user + "11";
    expect(hex(indexKey)).toBe("000d" + utf8hex("tokens__owner") + "002b" + utf8hex(f.user) + utf8hex("11"));
    expect(store.get(indexKey)).toBe("2");
    expect(store.get("next_id")).toBe("12");
    expect(store.get("num_tokens")).toBe("11");
    expect(JSON.parse(store.get("ownership")!)).toEqual({ owner: f.r.creditManager, pending_owner: null, pending_expiry: null });
    // Every token has exactly one index entry (the old Go collector scans this prefix).
    const index = store.prefix("\x00\x0dtokens__owner");
    expect(index).toHaveLength(11);
    expect(f.query(f.r.accountNft, { tokens: { owner: f.user } })).toEqual({ tokens: ["11"] });
    expect(f.query(f.r.accountNft, { owner_of: { token_id: "11" } })).toEqual({ owner: f.user, approvals: [] });
    expect(f.query(f.r.accountNft, { num_tokens: {} })).toEqual({ count: 11 });
    // Token ids order by bytes, as cw721 ranges them.
    expect(f.query(f.r.accountNft, { all_tokens: { limit: 5 } })).toEqual({ tokens: ["1", "10", "11", "2", "3"] });
    expect(f.query(f.r.accountNft, { all_tokens: { start_after: "3", limit: 3 } })).toEqual({ tokens: ["4", "5", "6"] });
    expect(f.query(f.r.accountNft, { tokens: { owner: f.other, start_after: "2", limit: 3 } })).toEqual({ tokens: ["3", "4", "5"] });
    expect(f.query(f.r.accountNft, { next_id: {} })).toBe("12");
  });

  it("only the minter (the credit manager) mints; transfers move the owner index", () => {
    const f = roverFixture("osmosis");
    expect(errorOf(() => f.exec(f.user, f.r.accountNft, { mint: { user: f.user } }))).toBe("Caller is not the contract's current owner");
    f.cm(f.user, { create_credit_account: "default" });
    f.exec(f.user, f.r.accountNft, { transfer_nft: { recipient: f.other, token_id: "2" } });
    expect(f.query(f.r.accountNft, { tokens: { owner: f.user } })).toEqual({ tokens: [] });
    expect(f.cmq({ accounts: { owner: f.other } })).toEqual([{ id: "2", kind: "default" }]);
  });
});

describe("credit-manager storage and config", () => {
  for (const variant of ["osmosis", "neutron"] as const) {
    it(`${variant}: raw keys of debt shares and items`, () => {
      const f = roverFixture(variant);
      f.bulk([{ owner: f.user, deposits: [{ denom: f.gas, amount: 5n }], debts: [{ denom: f.neutral, amount: 1n }] }]);
      const store = f.world.instance(f.r.creditManager).store;
      // debt_shares (account "2", neutral): 000b "debt_shares" 0001 "2" <denom>
      expect(store.get("\x00\x0bdebt_shares\x00\x012" + f.neutral)).toBe('"1000000"');
      expect(store.get("\x00\x0ccoin_balance\x00\x012" + f.gas)).toBe('"5"');
      expect(store.get("\x00\x0daccount_types2")).toBe('"default"');
      expect(store.get("red_bank")).toBe(JSON.stringify({ addr: f.c.redBank, credit_manager: f.r.creditManager }));
      expect(store.get("swap_fee")).toBe('"0.0005"');
      expect(store.get("rewards_collector")).toBe(JSON.stringify({ address: f.c.rewardsCollector, account_id: "1" }));
      const config = f.cmq<Record<string, unknown>>({ config: {} });
      expect(config).toMatchObject({
        ownership: { owner: f.owner, proposed: null, initialized: true, abolished: false, emergency_owner: null },
        account_nft: f.r.accountNft,
        red_bank: f.c.redBank,
        oracle: f.c.oracle,
        params: f.c.params,
        swapper: f.r.swapper,
        health_contract: f.r.health,
        max_unlocking_positions: "10",
        max_slippage: "0.2",
        rewards_collector: { address: f.c.rewardsCollector, account_id: "1" },
      });
      if (variant === "neutron") expect(config).toMatchObject({ perps_liquidation_bonus_ratio: "0.6", keeper_fee_config: { min_fee: { denom: "untrn", amount: "0" } } });
      expect(f.world.query(f.c.addressProvider, { address: "health" })).toEqual({ address_type: "health", address: f.r.health });
    });
  }

  it("update_config is owner-only and validates the swap fee", () => {
    const f = roverFixture("osmosis");
    expect(errorOf(() => f.cm(f.user, { update_config: { updates: { swap_fee: "0.001" } } }))).toBe("Caller is not owner");
    expect(errorOf(() => f.cm(f.owner, { update_config: { updates: { swap_fee: "1" } } }))).toBe('"Swap fee must be less than 1"');
    f.cm(f.owner, { update_config: { updates: { swap_fee: "0.001" } } });
    expect(f.cmq({ swap_fee_rate: {} })).toBe("0.001");
  });
});
