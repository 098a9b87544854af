import { describe, expect, it } from "vitest";
import { errorOf } from "./red-bank-fixture.js";
import { actionEvent, roverFixture, type RoverFixture } from "./credit-manager-fixture.js";

/**
 * The credit manager's account actions (spec §6.2) through `update_credit_account`, for both
 * deployments: round trips, funds checks, health assertions and ownership.
 */

function newAccount(f: RoverFixture, owner: string): string {
  const events = f.cm(owner, { create_credit_account: "default" });
  return actionEvent(events, f.r.accountNft, "mint").token_id!;
}

for (const variant of ["osmosis", "neutron"] as const) {
  describe(`${variant}: account actions`, () => {
    it("creates accounts (explicitly and with account_id null) and lists them by owner", () => {
      const f = roverFixture(variant);
      const events = f.cm(f.user, { create_credit_account: "default" });
      expect(actionEvent(events, f.r.creditManager, "create_credit_account")).toMatchObject({ kind: "Default" });
      expect(actionEvent(events, f.r.accountNft, "mint")).toMatchObject({ minter: f.r.creditManager, owner: f.user, token_id: "2" });
      const created = f.cm(f.user, {
        update_credit_account: { account_id: null, actions: [{ deposit: { denom: f.gas, amount: "1000" } }] },
      }, [{ denom: f.gas, amount: "1000" }]);
      expect(actionEvent(created, f.r.creditManager, "rover/execute/update_credit_account")).toMatchObject({ account_id: "3" });
      expect(f.cmq({ accounts: { owner: f.user } })).toEqual([{ id: "2", kind: "default" }, { id: "3", kind: "default" }]);
      expect(f.cmq({ account_kind: { account_id: "3" } })).toBe("default");
      expect(f.deposit("3", f.gas)).toBe(1000n);
    });

    it("deposit / withdraw / borrow / repay / lend / reclaim round trip", () => {
      const f = roverFixture(variant);
      const id = newAccount(f, f.user);
      const wallet = () => f.world.bank.balance(f.user, f.neutral);
      const start = wallet();
      f.cm(f.user, {
        update_credit_account: {
          account_id: id,
          actions: [
            { deposit: { denom: f.gas, amount: "10000000000" } },
            { borrow: { denom: f.neutral, amount: "1000000000" } },
            { lend: { denom: f.gas, amount: { exact: "4000000000" } } },
            { withdraw: { denom: f.neutral, amount: { exact: "400000000" } } },
          ],
        },
      }, [{ denom: f.gas, amount: "10000000000" }]);
      expect(wallet() - start).toBe(400_000_000n);
      expect(f.positions(id)).toMatchObject({
        deposits: [{ denom: f.gas, amount: "6000000000" }, { denom: f.neutral, amount: "600000000" }].sort((a, b) => (a.denom < b.denom ? -1 : 1)),
        debts: [{ denom: f.neutral, shares: "1000000000000000", amount: "1000000000" }],
        lends: [{ denom: f.gas, amount: "4000000000" }],
      });
      f.cm(f.user, {
        update_credit_account: {
          account_id: id,
          actions: [
            { deposit: { denom: f.neutral, amount: "400000000" } },
            { repay: { coin: { denom: f.neutral, amount: "account_balance" } } },
            { reclaim: { denom: f.gas, amount: "account_balance" } },
            { withdraw_to_wallet: { coin: { denom: f.gas, amount: "account_balance" }, recipient: f.other } },
          ],
        },
      }, [{ denom: f.neutral, amount: "400000000" }]);
      expect(f.positions(id)).toMatchObject({ deposits: [], debts: [], lends: [] });
      expect(f.cmq({ total_debt_shares: f.neutral })).toEqual({ denom: f.neutral, shares: "0" });
      expect(f.world.bank.balance(f.other, f.gas)).toBe(100_000_000_000n + 10_000_000_000n);
      expect(f.query(f.c.redBank, { user_debt: { user: f.r.creditManager, denom: f.neutral } })).toMatchObject({ amount: "0" });
    });

    it("repay_from_wallet repays with exactly one coin and refunds the excess", () => {
      const f = roverFixture(variant);
      const id = newAccount(f, f.user);
      f.cm(f.user, {
        update_credit_account: { account_id: id, actions: [{ deposit: { denom: f.gas, amount: "10000000000" } }, { borrow: { denom: f.neutral, amount: "1000" } }] },
      }, [{ denom: f.gas, amount: "10000000000" }]);
      const before = f.world.bank.balance(f.other, f.neutral);
      const events = f.cm(f.other, { repay_from_wallet: { account_id: id } }, [{ denom: f.neutral, amount: "1500" }]);
      expect(actionEvent(events, f.r.creditManager, "repay_from_wallet")).toMatchObject({ coin_repaid: `1000${f.neutral}`, refunded: "500" });
      expect(before - f.world.bank.balance(f.other, f.neutral)).toBe(1000n);
      expect(f.positions(id).debts).toEqual([]);
      expect(errorOf(() => f.cm(f.other, { repay_from_wallet: { account_id: id } }, [{ denom: f.neutral, amount: "1" }]))).toBe("No debt to repay");
      expect(errorOf(() => f.cm(f.other, { repay_from_wallet: { account_id: id } }))).toBe("No funds sent");
    });

    it("funds must match the deposits exactly", () => {
      const f = roverFixture(variant);
      const id = newAccount(f, f.user);
      const dep = (funds: { denom: string; amount: string }[]) =>
        errorOf(() => f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ deposit: { denom: f.gas, amount: "100" } }] } }, funds));
      expect(dep([{ denom: f.gas, amount: "50" }])).toBe("Sent fund mismatch. Expected: Uint128(100), received Uint128(50)");
      expect(dep([])).toBe("Sent fund mismatch. Expected: Uint128(100), received Uint128(0)");
      expect(dep([{ denom: f.gas, amount: "100" }, { denom: f.neutral, amount: "7" }])).toBe(`Extra funds received: 7${f.neutral}`);
    });

    it("AboveMaxLTV: a healthy account may not end above max LTV", () => {
      const f = roverFixture(variant);
      const id = newAccount(f, f.user);
      // Borrowed coins count as collateral: (floor(500M·0.73) + floor(2e9·0.73)) / 2e9 = 0.9125.
      const msg = errorOf(() =>
        f.cm(f.user, {
          update_credit_account: { account_id: id, actions: [{ deposit: { denom: f.gas, amount: "1000000000" } }, { borrow: { denom: f.neutral, amount: "2000000000" } }] },
        }, [{ denom: f.gas, amount: "1000000000" }]),
      );
      expect(msg).toBe('Actions resulted in exceeding maximum allowed loan-to-value. Max LTV health factor: "0.9125"');
      expect(f.positions(id)).toMatchObject({ deposits: [], debts: [] });
      expect(f.world.bank.balance(f.user, f.gas)).toBe(100_000_000_000n);
    });

    it("HealthNotImproved: an unhealthy account may not lower its max-LTV HF", () => {
      const f = roverFixture(variant);
      const id = f.bulk([{ owner: f.user, deposits: [{ denom: f.gas, amount: 10_000_000_000n }], debts: [{ denom: f.neutral, amount: 3_900_000_000n }] }])[0]!;
      // before: floor(5e9·0.73)/3.9e9 = 0.935897435897435897; after withdrawing 1e9 gas: floor(4.5e9·0.73)/3.9e9.
      const msg = errorOf(() => f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ withdraw: { denom: f.gas, amount: { exact: "1000000000" } } }] } }));
      expect(msg).toBe('Actions did not result in improved health factor: before: "0.935897435897435897", after: "0.842307692307692307"');
      // Repaying part of the debt is allowed (no health check for plain repays), and so is improving.
      f.cm(f.user, {
        update_credit_account: { account_id: id, actions: [{ deposit: { denom: f.neutral, amount: "100000000" } }, { repay: { coin: { denom: f.neutral, amount: "account_balance" } } }] },
      }, [{ denom: f.neutral, amount: "100000000" }]);
      expect(f.positions(id).debts[0]!.amount).toBe("3800000000");
      f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ deposit: { denom: f.gas, amount: "10" } }, { lend: { denom: f.gas, amount: { exact: "10" } } }] } }, [{ denom: f.gas, amount: "10" }]);
    });

    it("only the NFT owner may act; callbacks are internal; zero and unknown amounts fail", () => {
      const f = roverFixture(variant);
      const id = newAccount(f, f.user);
      expect(errorOf(() => f.cm(f.other, { update_credit_account: { account_id: id, actions: [] } }))).toBe(`"${f.other}" is not the owner of "${id}"`);
      expect(errorOf(() => f.cm(f.user, { callback: { remove_reentrancy_guard: {} } }))).toBe("Callbacks cannot be invoked externally");
      expect(errorOf(() => f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ withdraw: { denom: f.gas, amount: "account_balance" } }] } }))).toBe(
        "No coin amount set for action",
      );
      expect(errorOf(() => f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ repay: { coin: { denom: f.gas, amount: "account_balance" } } }] } }))).toBe("No debt to repay");
      expect(errorOf(() => f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ reclaim: { denom: f.gas, amount: "account_balance" } }] } }))).toBe("Nothing lent to reclaim");
      expect(errorOf(() => f.cm(f.user, { update_credit_account: { account_id: id, actions: [{ borrow: { denom: "uatom", amount: "1" } }] } }))).toBe("uatom is not whitelisted");
      expect(errorOf(() => f.cm(f.user, { update_credit_account: { account_id: "99", actions: [] } }))).toMatch(/^Generic error: Querier contract error: .*not found$/);
    });
  });
}
