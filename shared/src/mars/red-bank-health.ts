/**
 * Red Bank health of one user from scaled amounts (spec §2.4, `C:contracts/red-bank/src/health.rs`,
 * `C:packages/health/src/health.rs`), bit-exact with the contract: per denom, underlying amounts at
 * the snapshot time (collateral floor, debt ceil, §2.3), values `floor(amount·price)`, adjusted
 * values `floor(value·maxLTV)` and `floor(value·LT)`, then floored ratios. Hot path: one `Map`
 * lookup and a handful of bigint operations per denom, no allocation when `out` is reused.
 */
import { DECIMAL_ONE } from "./decimal.js";
import { createHealthValues, setHealthTotals } from "./health-values.js";
import { SCALING_FACTOR } from "./interest.js";
import { missingDenomData, type RiskSnapshot } from "./risk-snapshot.js";
import type { HealthValues, RedBankPosition } from "./types.js";

const INDEX_TIMES_SCALING = DECIMAL_ONE * SCALING_FACTOR;

/**
 * Computes §2.4 health of `position` with the snapshot's prices (build it with `liquidation` prices to
 * match `user_position_liquidation_pricing` and the `liquidate` check). Disabled collateral counts 0
 * and uncollateralized debt counts 0, but, as on chain, every denom touched must still have a market,
 * params and a price, else `MissingDenomDataError`. Writes into and returns `out` when given.
 */
export function redBankHealth(position: RedBankPosition, snapshot: RiskSnapshot, out: HealthValues = createHealthValues()): HealthValues {
  const factors = snapshot.factors;
  let collateralValue = 0n;
  let debtValue = 0n;
  let maxLtvAdjusted = 0n;
  let ltAdjusted = 0n;
  for (const c of position.collaterals) {
    const f = factors.get(c.denom);
    if (f === undefined || !f.hasMarket) throw missingDenomData(snapshot, c.denom, true);
    if (!c.enabled) continue;
    // floor(floor(scaled·index/1e18)/1e6) == floor(scaled·index/1e24)
    const value = (((c.amountScaled * f.liquidityIndex) / INDEX_TIMES_SCALING) * f.price) / DECIMAL_ONE;
    collateralValue += value;
    maxLtvAdjusted += (value * f.maxLtv) / DECIMAL_ONE;
    ltAdjusted += (value * f.liquidationThreshold) / DECIMAL_ONE;
  }
  for (const d of position.debts) {
    const f = factors.get(d.denom);
    if (f === undefined || !f.hasMarket) throw missingDenomData(snapshot, d.denom, true);
    if (d.uncollateralized) continue;
    const amount = ((d.amountScaled * f.borrowIndex) / DECIMAL_ONE + SCALING_FACTOR - 1n) / SCALING_FACTOR;
    debtValue += (amount * f.price) / DECIMAL_ONE;
  }
  return setHealthTotals(out, collateralValue, debtValue, maxLtvAdjusted, ltAdjusted);
}
