/**
 * Credit-account health as the health contract computes it (spec §6.4,
 * `C:packages/health-computer/src/health_computer.rs`): collateral from deposits, lends and staked
 * LPs, each coin `v = floor(amount·price)`, `floor(v·maxLTV)` with maxLTV 0 when the coin is not
 * CM-whitelisted, `floor(v·LT)`; debts valued `ceil(amount·price)` (rounds up, unlike Red Bank).
 * Coins without asset params are ignored as collateral. Vaults and perps are not modelled.
 */
import { DECIMAL_ONE, mulRatioCeil } from "./decimal.js";
import { MissingDenomDataError } from "./errors.js";
import { createHealthValues, setHealthTotals } from "./health-values.js";
import { missingDenomData, type DenomFactors, type RiskSnapshot } from "./risk-snapshot.js";
import type { CreditAccountPosition, HealthValues } from "./types.js";

const CEIL = DECIMAL_ONE - 1n;

/** Which collateral coins an HLS account may count: those correlated with its debts (spec §6.4). */
function hlsFilter(account: CreditAccountPosition, snapshot: RiskSnapshot): (f: DenomFactors) => boolean {
  if (account.debts.length === 0) return (f) => f.risk.hls !== null;
  const correlated = new Set<string>();
  for (const d of account.debts) {
    const risk = snapshot.risks.get(d.denom);
    if (risk === undefined) throw new MissingDenomDataError(d.denom, "params");
    if (risk.hls === null) throw new MissingDenomDataError(d.denom, "hls params");
    for (const denom of risk.hls.correlatedDenoms) correlated.add(denom);
  }
  return (f) => correlated.has(f.denom);
}

/**
 * Computes §6.4 health of a credit account with the snapshot's prices (build it with `liquidation`
 * prices for `action: "liquidation"`). A coin with params but no price, or a debt without params or
 * price, throws `MissingDenomDataError` as the contract's query fails. HLS accounts use the `hls`
 * LTV/LT and count only collateral correlated with their debts. Writes into and returns `out` when given.
 */
export function creditAccountHealth(account: CreditAccountPosition, snapshot: RiskSnapshot, out: HealthValues = createHealthValues()): HealthValues {
  const factors = snapshot.factors;
  const counts = account.kind === "high_levered_strategy" ? hlsFilter(account, snapshot) : null;
  let collateralValue = 0n;
  let maxLtvAdjusted = 0n;
  let ltAdjusted = 0n;
  for (let list = 0; list < 3; list++) {
    const coins = list === 0 ? account.deposits : list === 1 ? account.lends : account.stakedAstroLps;
    for (const c of coins) {
      const f = factors.get(c.denom);
      if (f === undefined) {
        if (snapshot.risks.has(c.denom)) throw new MissingDenomDataError(c.denom, "price");
        continue; // no params: not collateral (spec §6.4)
      }
      let maxLtv = f.cmMaxLtv;
      let lt = f.liquidationThreshold;
      if (counts !== null) {
        if (!counts(f)) continue;
        const h = f.risk.hls;
        if (h === null) throw new MissingDenomDataError(c.denom, "hls params");
        maxLtv = f.risk.whitelisted ? h.maxLtv : 0n;
        lt = h.liquidationThreshold;
      }
      const value = (c.amount * f.price) / DECIMAL_ONE;
      collateralValue += value;
      maxLtvAdjusted += (value * maxLtv) / DECIMAL_ONE;
      ltAdjusted += (value * lt) / DECIMAL_ONE;
    }
  }
  let debtValue = 0n;
  for (const d of account.debts) {
    const f = factors.get(d.denom);
    if (f === undefined) throw missingDenomData(snapshot, d.denom, false);
    debtValue += (d.amount * f.price + CEIL) / DECIMAL_ONE;
  }
  return setHealthTotals(out, collateralValue, debtValue, maxLtvAdjusted, ltAdjusted);
}

/**
 * A credit-manager debt amount from shares (spec §6.3 `debt_shares_to_amount`):
 * `ceil(cm_red_bank_debt · shares / total_shares)`; throws `MarsMathError` when `totalShares` is 0.
 */
export function debtSharesToAmount(cmRedBankDebt: bigint, shares: bigint, totalShares: bigint): bigint {
  return mulRatioCeil(cmRedBankDebt, shares, totalShares);
}
