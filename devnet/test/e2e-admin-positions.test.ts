import { describe, expect, it } from "vitest";
import { CHAIN_SPECS } from "../src/genesis/chains.js";
import { actionAttrs, debtors, hiveQueryMany, scanDebts } from "./support/chain-data.js";
import { useDevnet } from "./support/devnet.js";

/**
 * The admin API's scenario controls over HTTP, checked against the contracts themselves through
 * foreign-client paths: debtors created by /positions appear in the raw `debts` map across
 * `AllContractState` pages, /credit-accounts in the credit manager, /liquidatable and /bad-debt
 * agree with `user_position_liquidation_pricing` and the health contract after a price crash, and
 * /liquidations records a signed liquidation with its height, hash and amounts.
 */

const dn = useDevnet(["--chain", "osmosis"]);
const POSITIONS = 250;
const ACCOUNTS = 40;

interface Status { redBankPositions: number; creditAccounts: number; liquidations: number }
type HealthStatus = "not_borrowing" | { borrowing: { max_ltv_hf: string; liq_threshold_hf: string } };
interface UserPosition { total_enabled_collateral: string; total_collateralized_debt: string; health_status: HealthStatus }
const liqHf = (p: UserPosition) => (p.health_status === "not_borrowing" ? Infinity : Number(p.health_status.borrowing.liq_threshold_hf));

describe("admin API: positions, credit accounts, liquidatable, bad debt, liquidations", () => {
  let users: string[] = [];
  let accountIds: string[] = [];
  let liquidatable: { height: number; redBank: string[]; creditAccounts: string[] };

  it("POST /positions creates debtors that a paginated raw `debts` scan finds, page after page", async () => {
    const t = dn();
    const before = await scanDebts(t);
    const res = await t.admin<{ users: string[] }>("POST", "/positions", { count: POSITIONS });
    expect(res.status).toBe(200);
    users = res.body.users;
    expect(new Set(users).size).toBe(POSITIONS);
    const after = await scanDebts(t);
    expect(after.pages).toBeGreaterThanOrEqual(3); // 100 entries per page by default
    expect(after.entries.length).toBeGreaterThan(POSITIONS);
    const found = debtors(after.entries);
    expect(found.size).toBe(debtors(before.entries).size + POSITIONS);
    for (const u of users) expect(found.has(u)).toBe(true);
    expect(after.entries.every((e) => BigInt(e.amount_scaled) > 0n && !e.uncollateralized)).toBe(true);
    expect((await t.admin<Status>("GET", "/status")).body.redBankPositions).toBe(POSITIONS);
    // The same debtors through the contract's own query.
    const debts = await t.query<{ denom: string; amount: string }[]>(t.c.redBank, { user_debts: { user: users[0] } });
    expect(debts.map((d) => d.denom).sort()).toEqual(after.entries.filter((e) => e.user === users[0]).map((e) => e.denom).sort());
  });

  it("POST /credit-accounts creates accounts with debt owned in the account NFT", async () => {
    const t = dn();
    const res = await t.admin<{ accountIds: string[] }>("POST", "/credit-accounts", { count: ACCOUNTS });
    expect(res.status).toBe(200);
    accountIds = res.body.accountIds;
    expect(accountIds).toHaveLength(ACCOUNTS);
    const positions = await hiveQueryMany<{ account_id: string; debts: unknown[] }>(t, t.c.creditManager, accountIds.map((id) => ({ positions: { account_id: id } })));
    positions.forEach((p, i) => expect(p).toMatchObject({ account_id: accountIds[i], debts: expect.arrayContaining([expect.anything()]) }));
    const owners = await hiveQueryMany<{ owner: string }>(t, t.c.accountNft, accountIds.map((id) => ({ owner_of: { token_id: id } })));
    expect(owners.every((o) => /^osmo1/.test(o.owner))).toBe(true);
    expect((await t.admin<Status>("GET", "/status")).body.creditAccounts).toBe(ACCOUNTS);
  });

  it("GET /liquidatable after a 40 % crash matches the contracts' own health, account by account", async () => {
    const t = dn();
    const crashed = Object.fromEntries(CHAIN_SPECS.osmosis.markets.filter((m) => m.role !== "neutral").map((m) => [m.denom, (Number(m.price) * 0.6).toFixed(18).replace(/\.?0+$/, "")]));
    expect((await t.admin("POST", "/prices", { prices: crashed, kind: "both" })).status).toBe(200);
    liquidatable = (await t.admin<typeof liquidatable>("GET", "/liquidatable")).body;
    const listed = new Set(liquidatable.redBank);
    expect(listed.size).toBeGreaterThan(20);
    expect(listed.size).toBeLessThan(POSITIONS);

    const positions = await hiveQueryMany<UserPosition>(t, t.c.redBank, users.map((user) => ({ user_position_liquidation_pricing: { user } })));
    users.forEach((u, i) => {
      const hf = liqHf(positions[i]!);
      if (listed.has(u)) expect(hf, u).toBeLessThan(1);
      else expect(hf, u).toBeGreaterThanOrEqual(1);
    });
    for (const u of listed) expect(users).toContain(u);

    const health = await hiveQueryMany<{ liquidatable: boolean }>(t, t.c.health, accountIds.map((id) => ({ health_values: { account_id: id, kind: "default", action: "liquidation" } })));
    const cmListed = new Set(liquidatable.creditAccounts);
    expect(cmListed.size).toBeGreaterThan(0);
    accountIds.forEach((id, i) => expect(health[i]!.liquidatable, id).toBe(cmListed.has(id)));
  });

  it("GET /bad-debt lists exactly the liquidatable debtors whose debt value exceeds their collateral value", async () => {
    const t = dn();
    const bad = (await t.admin<{ redBank: { user: string; shortfall: string }[]; creditAccounts: { accountId: string; shortfall: string }[] }>("GET", "/bad-debt")).body;
    expect(bad.redBank.length).toBeGreaterThan(0);
    const positions = await hiveQueryMany<UserPosition>(t, t.c.redBank, users.map((user) => ({ user_position_liquidation_pricing: { user } })));
    const shortfalls = new Map(bad.redBank.map((b) => [b.user, BigInt(b.shortfall)]));
    users.forEach((u, i) => {
      const p = positions[i]!;
      const gap = BigInt(p.total_collateralized_debt) - BigInt(p.total_enabled_collateral);
      const s = shortfalls.get(u);
      if (s === undefined) {
        expect(gap <= 0n || liqHf(p) >= 1, u).toBe(true);
        return;
      }
      expect(s > 0n).toBe(true);
      // Interest accrues between the two reads: allow 1 ppm of the debt value.
      const slack = BigInt(p.total_collateralized_debt) / 1_000_000n + 1n;
      expect(s - gap <= slack && gap - s <= slack, `${u}: ${s} vs ${gap}`).toBe(true);
    });
    const health = await hiveQueryMany<{ total_debt_value: string; total_collateral_value: string }>(t, t.c.health, bad.creditAccounts.map((a) => ({ health_values: { account_id: a.accountId, kind: "default", action: "liquidation" } })));
    bad.creditAccounts.forEach((a, i) => expect(BigInt(health[i]!.total_debt_value)).toBeGreaterThan(BigInt(health[i]!.total_collateral_value)));
  });

  it("GET /liquidations records a signed liquidation: height, tx hash, account, liquidator, amounts", async () => {
    const t = dn();
    const liq = t.account(2);
    const prices = new Map((await t.query<{ denom: string; price: string }[]>(t.c.oracle, { prices: { kind: "liquidation", limit: 30 } })).map((p) => [p.denom, Number(p.price)]));
    // A listed debtor with a debt outside the gas denom (so the wallet delta is exact), seizing its largest collateral.
    let target: { user: string; debt: { denom: string; amount: string }; collateral: string } | undefined;
    for (const user of liquidatable.redBank) {
      const debt = (await t.query<{ denom: string; amount: string }[]>(t.c.redBank, { user_debts: { user } })).find((d) => d.denom !== t.gas);
      const colls = (await t.query<{ denom: string; amount: string; enabled: boolean }[]>(t.c.redBank, { user_collaterals: { user } })).filter((c) => c.enabled);
      if (!debt || colls.length === 0) continue;
      colls.sort((a, b) => Number(b.amount) * prices.get(b.denom)! - Number(a.amount) * prices.get(a.denom)!);
      target = { user, debt, collateral: colls[0]!.denom };
      break;
    }
    expect(target).toBeDefined();
    const { user, debt, collateral } = target!;
    const sent = BigInt(debt.amount) * 2n;
    const walletBefore = await t.balance(liq, debt.denom);
    const r = await t.exec(liq, t.c.redBank, { liquidate: { user, collateral_denom: collateral } }, [{ denom: debt.denom, amount: sent.toString() }]);
    const ev = actionAttrs(r.events, t.c.redBank, "liquidate");
    expect(walletBefore - (await t.balance(liq, debt.denom))).toBe(BigInt(ev.debt_amount!));

    const recs = await t.admin<unknown[]>("GET", `/liquidations?since=${r.height}`);
    expect(recs.body).toEqual([
      {
        height: r.height, txHash: r.transactionHash, product: "redbank", account: user, liquidator: liq,
        debtDenom: debt.denom, debtRepaid: ev.debt_amount, collateralDenom: collateral, collateralSeized: ev.collateral_amount,
      },
    ]);
    expect(BigInt(ev.collateral_amount!)).toBeGreaterThan(0n);
    expect((await t.admin<unknown[]>("GET", `/liquidations?since=${r.height + 1}`)).body).toEqual([]);
    expect((await t.admin<unknown[]>("GET", "/liquidations")).body).toHaveLength(1);
    expect((await t.admin<Status>("GET", "/status")).body.liquidations).toBe(1);
  });
});
