import type { World } from "../../state/world.js";
import { response } from "../host.js";
import { RedBankModel } from "./contract.js";
import { applyAccumulatedInterests, computeScaled, underlyingDebt, underlyingLiquidity, updateInterestRates } from "./interest.js";
import { COLLS, CONFIG, DEBTS, loadMarket, saveMarket, userIdKey, type CollateralJson, type DebtJson, type Market } from "./state.js";

/**
 * Bulk set-up for the scenario engine: writes Red Bank positions straight into the contract's
 * store (spec §3.2 layout) for up to millions of users, as if each user had deposited and
 * borrowed at the current block time. Not a contract message: no deposit caps, no health or
 * `borrow_enabled` checks, no events.
 *
 * Per market touched: interest is first accrued to `world.block.time` (as any Red Bank call
 * would), scaled amounts use that index (collateral floor, debt ceil, spec §2.3), the market's
 * totals grow by the sums, and rates are recomputed from the new utilization. Entries are written
 * with `KvStore.bulkSet` (not journaled, one sort); existing entries of a user are added to.
 * With `fund` (default) the coins move as real deposits and borrows would: the collateral is
 * minted to the Red Bank and each debt is sent from the Red Bank to its borrower.
 */

/** One user's position to create. Amounts are underlying base units (bigint or decimal string). */
export interface SeedPosition {
  user: string;
  collaterals: { denom: string; amount: bigint | string; enabled?: boolean; accountId?: string }[];
  debts: { denom: string; amount: bigint | string; uncollateralized?: boolean }[];
}

/** Options of {@link seedRedBankPositions}. */
export interface SeedOptions {
  /** Mint deposited coins to the Red Bank and send borrowed coins to the borrowers (default true). */
  fund?: boolean;
}

/** What was written, per denom, in underlying units at the seeding time. */
export interface SeedSummary {
  users: number;
  collateral: Record<string, bigint>;
  debt: Record<string, bigint>;
}

/** Writes `positions` into the Red Bank at `redBank`; throws before writing if a market is missing or would be over-borrowed. */
export function seedRedBankPositions(world: World, redBank: string, positions: Iterable<SeedPosition>, options: SeedOptions = {}): SeedSummary {
  const inst = world.instance(redBank);
  if (!(inst.model instanceof RedBankModel)) throw new Error(`seedRedBankPositions: ${redBank} is not a Red Bank model`);
  const variant = inst.model.variant;
  const store = inst.store;
  const now = world.block.time;
  const list = Array.isArray(positions) ? (positions as SeedPosition[]) : [...positions];

  const markets = new Map<string, Market>();
  for (const p of list) {
    for (const d of [...p.collaterals.map((c) => c.denom), ...p.debts.map((c) => c.denom)]) {
      if (!markets.has(d)) markets.set(d, loadMarket(store, d));
    }
  }
  const ap = CONFIG.load(store)!.address_provider;
  const rc = world.query<{ address: string }>(ap, { address: "rewards_collector" }).address;
  for (const m of markets.values()) applyAccumulatedInterests(store, variant, m, now, rc, response());

  const colls = new Map<string, CollateralJson>();
  const debts = new Map<string, DebtJson>();
  const addedColl = new Map<string, bigint>();
  const addedDebt = new Map<string, bigint>();
  const sum = { collateral: {} as Record<string, bigint>, debt: {} as Record<string, bigint> };
  for (const p of list) {
    for (const c of p.collaterals) {
      const m = markets.get(c.denom)!;
      const amount = BigInt(c.amount);
      const scaled = computeScaled(amount, m.liquidityIndex, false);
      const key = COLLS.key(userIdKey(p.user, c.accountId ?? ""), c.denom);
      const prev = colls.get(key) ?? parse<CollateralJson>(store.get(key));
      colls.set(key, { amount_scaled: ((prev ? BigInt(prev.amount_scaled) : 0n) + scaled).toString(), enabled: prev ? prev.enabled : (c.enabled ?? true) });
      addedColl.set(c.denom, (addedColl.get(c.denom) ?? 0n) + scaled);
      sum.collateral[c.denom] = (sum.collateral[c.denom] ?? 0n) + amount;
    }
    for (const d of p.debts) {
      const m = markets.get(d.denom)!;
      const amount = BigInt(d.amount);
      const scaled = computeScaled(amount, m.borrowIndex, true);
      const key = DEBTS.key(p.user, d.denom);
      const prev = debts.get(key) ?? parse<DebtJson>(store.get(key));
      debts.set(key, { amount_scaled: ((prev ? BigInt(prev.amount_scaled) : 0n) + scaled).toString(), uncollateralized: d.uncollateralized ?? false });
      addedDebt.set(d.denom, (addedDebt.get(d.denom) ?? 0n) + scaled);
      sum.debt[d.denom] = (sum.debt[d.denom] ?? 0n) + amount;
    }
  }

  for (const m of markets.values()) {
    m.collateralTotalScaled += addedColl.get(m.denom) ?? 0n;
    m.debtTotalScaled += addedDebt.get(m.denom) ?? 0n;
    const liquidity = underlyingLiquidity(m.collateralTotalScaled, m, now);
    const debt = underlyingDebt(m.debtTotalScaled, m, now);
    if (debt > liquidity) throw new Error(`seedRedBankPositions: market ${m.denom} would have debt ${debt} above its collateral ${liquidity}; seed lenders first`);
  }

  store.bulkSet(asJson(colls));
  store.bulkSet(asJson(debts));
  for (const m of markets.values()) {
    updateInterestRates(m, now, response());
    saveMarket(store, m);
  }
  if (options.fund ?? true) {
    for (const [denom, amount] of Object.entries(sum.collateral)) if (amount > 0n) world.bank.mint(redBank, denom, amount);
    for (const p of list) {
      for (const d of p.debts) world.bank.send(redBank, p.user, [{ denom: d.denom, amount: BigInt(d.amount).toString() }]);
    }
  }
  return { users: list.length, ...sum };
}

function* asJson(entries: Map<string, unknown>): Generator<[string, string]> {
  for (const [k, v] of entries) yield [k, JSON.stringify(v)];
}

function parse<T>(raw: string | undefined): T | undefined {
  return raw === undefined ? undefined : (JSON.parse(raw) as T);
}
