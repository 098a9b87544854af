import { describe, expect, it } from "vitest";
import { creditAccountHealth, creditAccountHealthScan } from "../src/contracts/credit-manager/ground-truth.js";
import type { World } from "../src/state/world.js";
import { roverFixture, type RoverFixture } from "./credit-manager-fixture.js";

/**
 * `bulkCreateCreditAccounts` must leave exactly the state the real messages leave: the same
 * NFT, credit-manager and Red Bank entries (raw keys and JSON values), market totals and rates,
 * and bank balances — here with a borrow index well above 1 and non-zero rates.
 */

const IRM = { optimal_utilization_rate: "0.8", base: "0.02", slope_1: "0.1", slope_2: "1" };

function world(variant: "osmosis" | "neutron"): RoverFixture {
  const f = roverFixture(variant, { neutral: { irm: IRM, reserveFactor: "0.1" }, gas: { irm: IRM, reserveFactor: "0.1" } });
  // A Red Bank borrower makes rates non-zero; a year later the indexes are well above 1.
  f.exec(f.user, f.c.redBank, { deposit: {} }, [{ denom: f.gas, amount: "40000000000" }]);
  f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "5000000000" } });
  f.world.block = { ...f.world.block, time: f.world.block.time + 31_536_000, height: f.world.block.height + 1 };
  return f;
}

const SPECS = [
  { deposit: 6_000_000_000n, lend: 4_000_000_000n, debt: 1_000_000_000n },
  { deposit: 3_000_000_000n, lend: 0n, debt: 777_777_777n },
  { deposit: 0n, lend: 2_500_000_001n, debt: 333_333_333n },
];

/** Every Map entry (raw key → value) under the given namespaces. */
function entries(w: World, contract: string, namespaces: string[]): [string, string][] {
  const store = w.instance(contract).store;
  return namespaces.flatMap((ns) => store.prefix(String.fromCharCode(0, ns.length) + ns));
}

function snapshot(f: RoverFixture): unknown {
  const owners = [f.bot, f.other, f.bot];
  return {
    nft: entries(f.world, f.r.accountNft, ["tokens", "tokens__owner"]),
    nftItems: [f.world.instance(f.r.accountNft).store.get("next_id"), f.world.instance(f.r.accountNft).store.get("num_tokens")],
    cm: entries(f.world, f.r.creditManager, ["account_types", "coin_balance", "debt_shares", "total_debt_shares"]),
    rb: entries(f.world, f.c.redBank, ["markets", "colls", "debts"]),
    // Owners paid their deposits from their wallets in the message world; bulk mints them instead.
    banks: [f.r.creditManager, f.c.redBank].map((a) => f.world.bank.balances(a)),
    borrowedToOwners: owners.map((a) => f.world.bank.balance(a, f.neutral)),
  };
}

for (const variant of ["osmosis", "neutron"] as const) {
  describe(`${variant}: bulk set-up equals the real messages`, () => {
    it("same raw state as create + deposit + lend + borrow + withdraw", () => {
      const viaMessages = world(variant);
      const owners = [viaMessages.bot, viaMessages.other, viaMessages.bot];
      SPECS.forEach((s, i) => {
        const f = viaMessages;
        const deposit = s.deposit + s.lend;
        const actions: unknown[] = [{ deposit: { denom: f.gas, amount: deposit.toString() } }, { borrow: { denom: f.neutral, amount: s.debt.toString() } }];
        if (s.lend > 0n) actions.push({ lend: { denom: f.gas, amount: { exact: s.lend.toString() } } });
        actions.push({ withdraw: { denom: f.neutral, amount: { exact: s.debt.toString() } } });
        f.cm(owners[i]!, { update_credit_account: { account_id: null, actions } }, [{ denom: f.gas, amount: deposit.toString() }]);
      });

      const viaBulk = world(variant);
      const ids = viaBulk.bulk(
        SPECS.map((s, i) => ({
          owner: [viaBulk.bot, viaBulk.other, viaBulk.bot][i]!,
          deposits: [{ denom: viaBulk.gas, amount: s.deposit }],
          lends: [{ denom: viaBulk.gas, amount: s.lend }],
          debts: [{ denom: viaBulk.neutral, amount: s.debt }],
        })),
      );
      expect(ids).toEqual(["2", "3", "4"]);
      const snap = snapshot(viaBulk) as { cm: unknown[]; rb: unknown[] };
      expect(snap.cm.length).toBe(4 + 2 + 3 + 1); // kinds (incl. the rewards collector), 2 balances, 3 debt shares, 1 total
      const market = viaBulk.query<{ borrow_index: string }>(viaBulk.c.redBank, { market: { denom: viaBulk.neutral } });
      expect(Number(market.borrow_index)).toBeGreaterThan(1.01);
      expect(snap).toEqual(snapshot(viaMessages));
      for (const id of ids) expect(viaBulk.positions(id)).toEqual(viaMessages.positions(id));
      expect(creditAccountHealth(viaBulk.world, viaBulk.r.health, "3")).toEqual(creditAccountHealth(viaMessages.world, viaMessages.r.health, "3"));
    });
  });
}

describe("ground truth", () => {
  it("the store scan agrees with the health contract account by account", () => {
    const f = roverFixture("osmosis", { gas: { irm: IRM }, neutral: { irm: IRM } });
    f.exec(f.lender, f.c.redBank, { deposit: {} }, [{ denom: f.gas, amount: "50000000000" }]);
    f.bulk(
      Array.from({ length: 12 }, (_, i) => ({
        owner: f.bot,
        deposits: [{ denom: f.gas, amount: BigInt(1_000_000_000 * (i + 1)) }],
        lends: i % 2 ? [{ denom: f.neutral, amount: 10_000_000n * BigInt(i) }] : [],
        debts: [{ denom: f.neutral, amount: 400_000_000n + 7n * BigInt(i) }, ...(i % 3 ? [] : [{ denom: f.gas, amount: 1_000_001n }])],
      })),
    );
    f.world.block = { ...f.world.block, time: f.world.block.time + 86_400 * 30 };
    for (const action of ["default", "liquidation"] as const) {
      const scan = creditAccountHealthScan(f.world, f.r.creditManager, f.r.health, { action });
      expect(scan).toHaveLength(12);
      for (const e of scan) expect(e.health).toEqual(creditAccountHealth(f.world, f.r.health, e.accountId, action));
    }
  });

  it("scans indebted accounts and reports the liquidatable ones", () => {
    const f = roverFixture("osmosis");
    f.bulk([
      { owner: f.bot, deposits: [{ denom: f.gas, amount: 10_000_000_000n }], debts: [{ denom: f.neutral, amount: 3_900_000_000n }] },
      { owner: f.bot, deposits: [{ denom: f.gas, amount: 10_000_000_000n }] },
      { owner: f.bot, deposits: [{ denom: f.gas, amount: 10_000_000_000n }], debts: [{ denom: f.neutral, amount: 1_000_000_000n }] },
    ]);
    const all = creditAccountHealthScan(f.world, f.r.creditManager, f.r.health);
    expect(all.map((e) => e.accountId)).toEqual(["2", "4"]);
    const liquidatable = creditAccountHealthScan(f.world, f.r.creditManager, f.r.health, { onlyLiquidatable: true });
    expect(liquidatable.map((e) => [e.accountId, e.health!.liquidationHealthFactor])).toEqual([["2", 961_538_461_538_461_538n]]);
  });
});
