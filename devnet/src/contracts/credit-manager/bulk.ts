import type { World } from "../../state/world.js";
import { NEXT_ID, bulkMint } from "../account-nft/state.js";
import { seedRedBankPositions, type SeedPosition } from "../red-bank/seed.js";
import { DEBTS, MARKETS, marketFromJson } from "../red-bank/state.js";
import { computeScaled, computeUnderlying, updatedBorrowIndex } from "../red-bank/interest.js";
import { CreditManagerModel } from "./contract.js";
import { DEFAULT_DEBT_SHARES_PER_COIN_BORROWED } from "./borrow-repay.js";
import { ACCOUNT_KINDS, ACCOUNT_NFT, COIN_BALANCES, DEBT_SHARES, RED_BANK, TOTAL_DEBT_SHARES, load, totalDebtShares } from "./state.js";

/**
 * Bulk set-up of credit accounts for the scenario engine (spec §3.3, §6.1–6.3): writes accounts
 * straight into the account NFT, credit-manager and Red Bank stores with `KvStore.bulkSet` (not
 * journaled, one sort per store), as if each account had been created, funded, had lent and
 * borrowed at the current block time, in list order. Consistent across contracts:
 * - account NFT: tokens `next_id, next_id+1, ...`, the `tokens__owner` index, `num_tokens`, `next_id`;
 * - credit manager: `account_types`, `coin_balance`, `debt_shares` — each borrow adds
 *   `1_000_000·amount` shares while the CM's Red Bank debt is zero, else
 *   `floor(total_shares·amount/CM_debt)` with the CM debt grown by every earlier borrow —
 *   and `total_debt_shares`;
 * - Red Bank (through `seedRedBankPositions`, which accrues the markets to `now` first): the
 *   CM's uncollateralized `debts` entry and lends as `colls` under `{"addr":<cm>,"acc_id":<id>}`,
 *   market totals and rates.
 * With `fund` (default): deposits are minted to the credit manager, lends to the Red Bank, and
 * each borrowed amount is sent from the Red Bank to the account owner (borrowed, then withdrawn).
 * No whitelist, cap, liquidity-limit or health checks: seed Red Bank lenders first (the Red Bank
 * seed refuses debt above a market's collateral).
 */

/** An amount of a denom (bigint or decimal string). */
export interface SeedCoin {
  denom: string;
  amount: bigint | string;
}

/** One credit account to create. */
export interface BulkCreditAccount {
  owner: string;
  kind?: "default" | "high_levered_strategy";
  /** Coin balances held by the credit manager for the account. */
  deposits?: SeedCoin[];
  /** Red Bank deposits under the account (`lend`). */
  lends?: SeedCoin[];
  /** Debts (borrowed through the credit manager). */
  debts?: SeedCoin[];
}

/** Options of {@link bulkCreateCreditAccounts}. */
export interface BulkOptions {
  fund?: boolean;
}

/** Creates the accounts; returns their ids in input order. */
export function bulkCreateCreditAccounts(world: World, creditManager: string, accounts: readonly BulkCreditAccount[], options: BulkOptions = {}): string[] {
  const cm = world.instance(creditManager);
  if (!(cm.model instanceof CreditManagerModel)) throw new Error(`bulkCreateCreditAccounts: ${creditManager} is not a credit manager model`);
  const redBank = load(cm.store, RED_BANK).addr;
  const rbStore = world.instance(redBank).store;
  const nftStore = world.instance(load(cm.store, ACCOUNT_NFT)).store;
  const now = world.block.time;

  // Running CM debt per denom (scaled, at the accrued borrow index) and total shares.
  const debtState = new Map<string, { index: bigint; scaled: bigint; totalShares: bigint }>();
  const debtOf = (denom: string) => {
    let s = debtState.get(denom);
    if (!s) {
      const market = MARKETS.load(rbStore, denom);
      if (!market) throw new Error(`bulkCreateCreditAccounts: no Red Bank market for ${denom}`);
      const entry = DEBTS.load(rbStore, creditManager, denom);
      s = { index: updatedBorrowIndex(marketFromJson(market), now), scaled: BigInt(entry?.amount_scaled ?? "0"), totalShares: totalDebtShares(cm.store, denom) };
      debtState.set(denom, s);
    }
    return s;
  };

  const firstId = NEXT_ID.load(nftStore) ?? 1;
  const ids = accounts.map((_, i) => String(firstId + i));
  const cmEntries = new Map<string, string>();
  const seed: SeedPosition[] = [];
  const minted = { cm: new Map<string, bigint>(), rb: new Map<string, bigint>() };
  const borrowed: { owner: string; denom: string; amount: bigint }[] = [];
  accounts.forEach((a, i) => {
    const id = ids[i]!;
    cmEntries.set(ACCOUNT_KINDS.key(id), JSON.stringify(a.kind ?? "default"));
    for (const c of sumByDenom(a.deposits)) {
      cmEntries.set(COIN_BALANCES.key(id, c.denom), JSON.stringify(c.amount.toString()));
      add(minted.cm, c.denom, c.amount);
    }
    const lends = sumByDenom(a.lends);
    for (const c of lends) add(minted.rb, c.denom, c.amount);
    const debts = sumByDenom(a.debts);
    for (const d of debts) {
      const s = debtOf(d.denom);
      const cmDebt = computeUnderlying(s.scaled, s.index, true);
      const shares = cmDebt === 0n ? d.amount * DEFAULT_DEBT_SHARES_PER_COIN_BORROWED : (s.totalShares * d.amount) / cmDebt;
      if (shares === 0n) throw new Error(`bulkCreateCreditAccounts: account ${id}: ${d.amount}${d.denom} is worth zero debt shares`);
      s.totalShares += shares;
      s.scaled += computeScaled(d.amount, s.index, true);
      cmEntries.set(DEBT_SHARES.key(id, d.denom), JSON.stringify(shares.toString()));
      borrowed.push({ owner: a.owner, denom: d.denom, amount: d.amount });
    }
    if (lends.length || debts.length) {
      seed.push({
        user: creditManager,
        collaterals: lends.map((c) => ({ denom: c.denom, amount: c.amount, accountId: id })),
        debts: debts.map((d) => ({ denom: d.denom, amount: d.amount, uncollateralized: true })),
      });
    }
  });
  for (const [denom, s] of debtState) cmEntries.set(TOTAL_DEBT_SHARES.key(denom), JSON.stringify(s.totalShares.toString()));

  // Everything is validated above or by the Red Bank seed (before it writes), so nothing is half-written.
  if (seed.length) seedRedBankPositions(world, redBank, seed, { fund: false });
  bulkMint(nftStore, accounts.map((a) => a.owner));
  cm.store.bulkSet(cmEntries);
  if (options.fund ?? true) {
    for (const [denom, amount] of minted.cm) world.bank.mint(creditManager, denom, amount);
    for (const [denom, amount] of minted.rb) world.bank.mint(redBank, denom, amount);
    for (const b of borrowed) world.bank.send(redBank, b.owner, [{ denom: b.denom, amount: b.amount.toString() }]);
  }
  return ids;
}

function add(m: Map<string, bigint>, denom: string, amount: bigint): void {
  m.set(denom, (m.get(denom) ?? 0n) + amount);
}

/** Non-zero amounts summed per denom, in first-seen order. */
function sumByDenom(coins: readonly SeedCoin[] | undefined): { denom: string; amount: bigint }[] {
  const m = new Map<string, bigint>();
  for (const c of coins ?? []) {
    const a = BigInt(c.amount);
    if (a > 0n) add(m, c.denom, a);
  }
  return [...m].map(([denom, amount]) => ({ denom, amount }));
}

