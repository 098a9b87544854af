/**
 * The bot's sizing (spec §2.6a step 3): evaluate §2.5 steps 3–6 for every (debt denom, seizable
 * collateral denom) pair of a liquidatable position and rank the pairs by expected profit value
 * `floor(to_liquidator·pc) − floor(repay·pd)` in uusd, before swap costs and gas.
 */
import { DECIMAL_ONE } from "./decimal.js";
import { InvalidLiquidationAmountsError } from "./errors.js";
import { creditAccountHealth } from "./credit-account-health.js";
import { underlyingDebtAmount, underlyingLiquidityAmount } from "./interest.js";
import { isLiquidationProfitable, liquidationAmounts, type LiquidationAmounts, type LiquidationRules } from "./liquidation.js";
import { redBankHealth } from "./red-bank-health.js";
import { missingDenomData, type DenomFactors, type RiskSnapshot } from "./risk-snapshot.js";
import type { Amount, CreditAccountPosition, LiquidationHealth, RedBankPosition } from "./types.js";

/** Where a credit-manager liquidation takes the collateral from (spec §6.2 `request`); null for Red Bank. */
export type LiquidationRequestKind = "deposit" | "lend" | "staked_astro_lp";

/** One feasible liquidation of a position (spec §2.6a step 3), with its amounts and expected profit. */
export interface LiquidationOption {
  readonly debtDenom: string;
  readonly collateralDenom: string;
  /** Credit manager `request` variant; null for Red Bank. */
  readonly request: LiquidationRequestKind | null;
  readonly amounts: LiquidationAmounts;
  /** `floor(to_liquidator·pc) − repay_value` in uusd; can be ≤ 0 on Red Bank (bad debt, tiny LB). */
  readonly profitValue: bigint;
}

/** Options of the `best*Liquidation` helpers (spec §2.6a steps 3–4). */
export interface BestLiquidationOptions {
  /** Most the liquidator will send per debt denom (base units); default: the whole debt D. */
  readonly sendCaps?: ReadonlyMap<string, bigint>;
  /** Health to size with instead of computing it from the snapshot (e.g. a [NTRN] `health_values` answer with perps PnL). */
  readonly health?: LiquidationHealth;
}

interface Seizable {
  readonly denom: string;
  readonly amount: bigint;
  readonly factors: DenomFactors;
  readonly request: LiquidationRequestKind | null;
}

function isLiquidatable(health: LiquidationHealth): boolean {
  const hf = health.liquidationHealthFactor;
  return hf !== null && hf < DECIMAL_ONE;
}

function byProfit(a: LiquidationOption, b: LiquidationOption): number {
  if (a.profitValue !== b.profitValue) return a.profitValue > b.profitValue ? -1 : 1;
  if (a.amounts.repayValue !== b.amounts.repayValue) return a.amounts.repayValue > b.amounts.repayValue ? -1 : 1;
  const ka = `${a.debtDenom}\u0000${a.collateralDenom}\u0000${a.request ?? ""}`;
  const kb = `${b.debtDenom}\u0000${b.collateralDenom}\u0000${b.request ?? ""}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function rank(
  health: LiquidationHealth,
  debts: readonly { denom: string; amount: bigint; factors: DenomFactors }[],
  seizables: readonly Seizable[],
  rules: LiquidationRules,
  options: BestLiquidationOptions,
  creditManager: boolean,
): LiquidationOption[] {
  const result: LiquidationOption[] = [];
  for (const d of debts) {
    const sent = options.sendCaps?.get(d.denom) ?? d.amount;
    for (const c of seizables) {
      let amounts: LiquidationAmounts;
      try {
        amounts = liquidationAmounts(
          {
            collateralAmount: c.amount,
            collateralPrice: c.factors.price,
            collateralRisk: c.factors.risk,
            debtAmount: d.amount,
            debtSent: sent,
            debtPrice: d.factors.price,
            debtRisk: d.factors.risk,
            health,
          },
          rules,
        );
      } catch (err) {
        if (err instanceof InvalidLiquidationAmountsError) continue; // the contract would reject this pair
        throw err;
      }
      if (amounts.repay === 0n) continue;
      if (creditManager && !isLiquidationProfitable(amounts, d.factors.price, c.factors.price)) continue;
      const profitValue = (amounts.toLiquidator * c.factors.price) / DECIMAL_ONE - amounts.repayValue;
      result.push({ debtDenom: d.denom, collateralDenom: c.denom, request: c.request, amounts, profitValue });
    }
  }
  return result.sort(byProfit);
}

/**
 * Ranks every Red Bank liquidation of `position` (spec §2.6a step 3): pairs of a collateralized debt
 * with an enabled, non-zero collateral (collateral = debt denom allowed), amounts at the snapshot time,
 * best expected profit first. Returns [] when the position is not liquidatable. Pairs the contract
 * would reject (exactly one of repay/seize 0) and zero repays are left out; negative profits are kept.
 */
export function bestLiquidation(position: RedBankPosition, snapshot: RiskSnapshot, rules: LiquidationRules, options: BestLiquidationOptions = {}): LiquidationOption[] {
  const health = options.health ?? redBankHealth(position, snapshot);
  if (!isLiquidatable(health)) return [];
  const factorsOf = (denom: string): DenomFactors => {
    const f = snapshot.factors.get(denom);
    if (f === undefined || !f.hasMarket) throw missingDenomData(snapshot, denom, true);
    return f;
  };
  const debts: { denom: string; amount: bigint; factors: DenomFactors }[] = [];
  for (const d of position.debts) {
    if (d.uncollateralized) continue; // only the credit manager, which Red Bank refuses to liquidate
    const factors = factorsOf(d.denom);
    const amount = underlyingDebtAmount(d.amountScaled, factors.borrowIndex);
    if (amount > 0n) debts.push({ denom: d.denom, amount, factors });
  }
  const seizables: Seizable[] = [];
  for (const c of position.collaterals) {
    if (!c.enabled) continue; // CannotLiquidateWhenCollateralUnset
    const factors = factorsOf(c.denom);
    const amount = underlyingLiquidityAmount(c.amountScaled, factors.liquidityIndex);
    if (amount > 0n) seizables.push({ denom: c.denom, amount, factors, request: null });
  }
  return rank(health, debts, seizables, rules, options, false);
}

function addSeizables(out: Seizable[], coins: readonly Amount[], request: LiquidationRequestKind, snapshot: RiskSnapshot): void {
  for (const c of coins) {
    const factors = snapshot.factors.get(c.denom);
    if (factors === undefined || c.amount === 0n) continue; // no params: AssetParamsNotFound; no price: the price query fails
    out.push({ denom: c.denom, amount: c.amount, factors, request });
  }
}

/**
 * Ranks every credit-manager liquidation of `account` (spec §6.5, §2.6a): each debt against each
 * deposit, lend and staked LP with params and a price, keeping only pairs that pass the
 * `LiquidationNotProfitable` guard (§6.5 step 4), best expected profit first. Returns [] when the
 * account is not liquidatable. The excess `sent − repay` stays in the liquidator's account (§6.5 step 5).
 */
export function bestCreditAccountLiquidation(
  account: CreditAccountPosition,
  snapshot: RiskSnapshot,
  rules: LiquidationRules,
  options: BestLiquidationOptions = {},
): LiquidationOption[] {
  const health = options.health ?? creditAccountHealth(account, snapshot);
  if (!isLiquidatable(health)) return [];
  const debts: { denom: string; amount: bigint; factors: DenomFactors }[] = [];
  for (const d of account.debts) {
    const factors = snapshot.factors.get(d.denom);
    if (factors === undefined) throw missingDenomData(snapshot, d.denom, false);
    if (d.amount > 0n) debts.push({ denom: d.denom, amount: d.amount, factors });
  }
  const seizables: Seizable[] = [];
  addSeizables(seizables, account.deposits, "deposit", snapshot);
  addSeizables(seizables, account.lends, "lend", snapshot);
  addSeizables(seizables, account.stakedAstroLps, "staked_astro_lp", snapshot);
  return rank(health, debts, seizables, rules, options, true);
}
