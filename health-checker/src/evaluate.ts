/**
 * Local health of one shard at one block (DESIGN.md "Health: local, exact, incremental"): the
 * contracts' own formulas and rounding (spec §2.4, §6.4) over the positions held in memory and the
 * block's market state, and, for each position below the threshold, the best liquidation by its
 * expected profit (spec §2.6a).
 */
import { mars, type Candidate, type MarketState } from "@mlb/shared";
import { isRedBank, type Shard } from "./positions.js";
import type { CachedCreditAccount, CachedPosition, CachedRedBankPosition } from "@mlb/shared";

/** What evaluating a shard found. */
export interface ShardVerdict {
  checked: number;
  /** Below the threshold and above the dust floor, sized (best liquidation) for the liquidator. */
  flagged: Candidate[];
  /** Below the threshold too, but queued by this instance within the repeat window: not sized again. */
  stillQueued: string[];
  /** Below the threshold but dust (debt value under the floor). */
  dust: number;
  /** Positions that could not be evaluated this block (a denom without price, params or market), by reason. */
  unevaluable: Map<string, number>;
}

export interface EvaluateOptions {
  /** Health factor below which a position is flagged, Decimal atomics. */
  threshold: bigint;
  /** Debt value (uusd) under which a flagged position is dust and skipped. */
  minDebtValue: bigint;
  now: number;
  /** Accounts this instance queued recently: flagged without sizing them again. */
  recentlyQueued?: (account: string) => boolean;
}

/** A health factor as the decimal string the candidate carries. */
function factorText(hf: bigint | null): string {
  return hf === null ? "none" : mars.formatDecimal(hf);
}

/**
 * Turns a cached credit account into amounts at the block (spec §6.3): debt `ceil(pool debt ·
 * shares / total shares)` with the pool debt at the block's borrow index (ceil), lends at the
 * liquidity index (floor).
 */
export function creditAccountAt(accountId: string, a: CachedCreditAccount, market: MarketState): mars.CreditAccountPosition {
  const pool = market.debtPool;
  if (pool === null) throw new Error("market state was read without the credit manager's debt pool");
  const { markets } = market.snapshot;
  const debts = a.debtShares.map(({ denom, amount: shares }) => {
    const m = markets.get(denom);
    const total = pool.totalShares.get(denom);
    const scaled = pool.debtScaled.get(denom);
    if (m === undefined || total === undefined || scaled === undefined || total === 0n) throw new mars.MissingDenomDataError(denom, "market");
    return { denom, amount: mars.debtSharesToAmount(mars.underlyingDebtAmount(scaled, m.borrowIndex), shares, total) };
  });
  const lends = a.lendsScaled.map(({ denom, amount: scaled }) => {
    const m = markets.get(denom);
    if (m === undefined) throw new mars.MissingDenomDataError(denom, "market");
    return { denom, amount: mars.underlyingLiquidityAmount(scaled, m.liquidityIndex) };
  });
  return { accountId, kind: a.kind, deposits: a.deposits, lends, stakedAstroLps: [], debts };
}

/** Evaluates every position of `shard` with local math. */
export function evaluateShard(shard: Shard, market: MarketState, opts: EvaluateOptions): ShardVerdict {
  const verdict: ShardVerdict = { checked: 0, flagged: [], stillQueued: [], dust: 0, unevaluable: new Map() };
  const out = mars.createHealthValues();
  const { snapshot } = market;
  for (const [account, position] of shard) {
    verdict.checked++;
    try {
      const amounts = isRedBank(position) ? null : creditAccountAt(account, position, market);
      if (amounts === null) mars.redBankHealth(position as CachedRedBankPosition, snapshot, out);
      else mars.creditAccountHealth(amounts, snapshot, out);
      if (out.liquidationHealthFactor === null || out.liquidationHealthFactor >= opts.threshold) continue;
      if (out.totalDebtValue < opts.minDebtValue) {
        verdict.dust++;
        continue;
      }
      if (opts.recentlyQueued?.(account)) verdict.stillQueued.push(account);
      else verdict.flagged.push(candidateOf(account, out, bestOption(account, position, market, out, amounts), opts.now));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      verdict.unevaluable.set(reason, (verdict.unevaluable.get(reason) ?? 0) + 1);
    }
  }
  return verdict;
}

/** The most profitable liquidation of a position with health `h` (spec §2.6a); undefined when none is feasible. */
export function bestOption(
  account: string,
  position: CachedPosition,
  market: MarketState,
  h: mars.HealthValues,
  amounts: mars.CreditAccountPosition | null = null,
): mars.LiquidationOption | undefined {
  const { snapshot, rules } = market;
  if (isRedBank(position)) return mars.bestLiquidation(position, snapshot, rules, { health: h })[0];
  return mars.bestCreditAccountLiquidation(amounts ?? creditAccountAt(account, position, market), snapshot, rules, { health: h })[0];
}

/** A candidate from a health answer and the best liquidation (none when the contract would not liquidate yet, e.g. HF between 1 and the threshold). */
export function candidateOf(account: string, h: mars.HealthValues, best: mars.LiquidationOption | undefined, now: number): Candidate {
  return {
    account,
    healthFactor: factorText(h.liquidationHealthFactor),
    totalDebtValue: h.totalDebtValue.toString(),
    debtDenom: best?.debtDenom ?? null,
    collateralDenom: best?.collateralDenom ?? null,
    request: best?.request ?? null,
    debtToRepay: (best?.amounts.repay ?? 0n).toString(),
    expectedProfit: (best?.profitValue ?? 0n).toString(),
    detectedAtMs: now,
  };
}
