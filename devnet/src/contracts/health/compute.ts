import { ContractError } from "../host.js";
import { dec, decStr, mulCeil, mulFloor, ONE, ratio } from "../../math/decimal.js";

/**
 * The credit-manager health computation of spec §6.4 (`mars-rover-health-computer`), as a pure
 * function of positions, asset params and prices. All amounts are bigint base units, Decimals
 * are 18-dp atomics.
 * Collateral (deposits, lends, staked LPs; each coin separately): `v = floor(amount·price)`,
 * `MAXADJ += floor(v·maxLTV)` (0 when not CM-whitelisted), `LTADJ += floor(v·LT)`; coins without
 * params are ignored. Debts: `ceil(amount·price)` (a debt without params/price errors
 * `MissingPrice`). `HF = ratio(adjusted, TDV)`, none when there is no debt.
 * HLS accounts use the `hls` LTV/LT and count only collateral correlated with the debts.
 */

/** The asset params fields the health computation reads (spec §4). */
export interface HealthAssetParams {
  denom: string;
  credit_manager: { whitelisted: boolean; hls: { max_loan_to_value: string; liquidation_threshold: string; correlations: unknown[] } | null };
  max_loan_to_value: string;
  liquidation_threshold: string;
}

/** An amount of a denom. */
export interface DenomAmount {
  denom: string;
  amount: bigint;
}

/** What the computation needs from `positions`. */
export interface HealthPositions {
  kind: "default" | "high_levered_strategy" | "other";
  deposits: DenomAmount[];
  lends: DenomAmount[];
  stakedLps: DenomAmount[];
  debts: DenomAmount[];
}

/** The computed health (spec §6.3 `health_values`). */
export interface HealthValues {
  totalDebtValue: bigint;
  totalCollateralValue: bigint;
  maxLtvAdjustedCollateral: bigint;
  liquidationThresholdAdjustedCollateral: bigint;
  maxLtvHealthFactor: bigint | null;
  liquidationHealthFactor: bigint | null;
  liquidatable: boolean;
  aboveMaxLtv: boolean;
}

/** Computes health; `params`/`prices` hold entries only for denoms that have params. */
export function computeHealth(positions: HealthPositions, params: Map<string, HealthAssetParams>, prices: Map<string, bigint>): HealthValues {
  const hls = positions.kind === "high_levered_strategy";
  const correlated = hls ? hlsCorrelations(positions, params) : undefined;
  let tcv = 0n;
  let maxAdj = 0n;
  let ltAdj = 0n;
  for (const list of [positions.deposits, positions.lends, positions.stakedLps]) {
    for (const c of list) {
      const p = params.get(c.denom);
      if (!p) continue;
      if (hls && !countsForHls(c.denom, p, correlated!)) continue;
      const price = prices.get(c.denom);
      if (price === undefined) throw new ContractError(`${c.denom} was not provided a price to compute health with`);
      const v = mulFloor(c.amount, price);
      tcv += v;
      maxAdj += mulFloor(v, maxLtv(p, hls));
      ltAdj += mulFloor(v, liqThreshold(p, hls));
    }
  }
  let tdv = 0n;
  for (const d of positions.debts) {
    const price = prices.get(d.denom);
    if (price === undefined) throw new ContractError(`${d.denom} was not provided a price to compute health with`);
    tdv += mulCeil(d.amount, price);
  }
  const maxHf = tdv === 0n ? null : ratio(maxAdj, tdv);
  const liqHf = tdv === 0n ? null : ratio(ltAdj, tdv);
  return {
    totalDebtValue: tdv,
    totalCollateralValue: tcv,
    maxLtvAdjustedCollateral: maxAdj,
    liquidationThresholdAdjustedCollateral: ltAdj,
    maxLtvHealthFactor: maxHf,
    liquidationHealthFactor: liqHf,
    liquidatable: liqHf !== null && liqHf < ONE,
    aboveMaxLtv: maxHf !== null && maxHf < ONE,
  };
}

function maxLtv(p: HealthAssetParams, hls: boolean): bigint {
  if (!p.credit_manager.whitelisted) return 0n;
  return hls ? hlsParams(p).maxLtv : dec(p.max_loan_to_value);
}

function liqThreshold(p: HealthAssetParams, hls: boolean): bigint {
  return hls ? hlsParams(p).lt : dec(p.liquidation_threshold);
}

function hlsParams(p: HealthAssetParams): { maxLtv: bigint; lt: bigint } {
  const h = p.credit_manager.hls;
  if (!h) throw new ContractError(`Account is an HLS account, but ${p.denom} was not provided HLS params to compute health with`);
  return { maxLtv: dec(h.max_loan_to_value), lt: dec(h.liquidation_threshold) };
}

/** Denoms correlated with any debt of an HLS account (null: the account has no debt). */
function hlsCorrelations(positions: HealthPositions, params: Map<string, HealthAssetParams>): Set<string> | null {
  if (positions.debts.length === 0) return null;
  const out = new Set<string>();
  for (const d of positions.debts) {
    const p = params.get(d.denom);
    if (!p) throw new ContractError(`${d.denom} was not provided asset params to compute health with`);
    const h = p.credit_manager.hls;
    if (!h) throw new ContractError(`Account is an HLS account, but ${d.denom} was not provided HLS params to compute health with`);
    for (const c of h.correlations) {
      const coin = (c as { coin?: { denom?: string } }).coin;
      if (coin?.denom) out.add(coin.denom);
    }
  }
  return out;
}

function countsForHls(denom: string, p: HealthAssetParams, correlated: Set<string> | null): boolean {
  return correlated === null ? p.credit_manager.hls !== null : correlated.has(denom);
}

/** `HealthValuesResponse` JSON (osmosis shape; neutron adds the perps fields, see the contract). */
export function healthValuesJson(h: HealthValues): Record<string, unknown> {
  return {
    total_debt_value: h.totalDebtValue.toString(),
    total_collateral_value: h.totalCollateralValue.toString(),
    max_ltv_adjusted_collateral: h.maxLtvAdjustedCollateral.toString(),
    liquidation_threshold_adjusted_collateral: h.liquidationThresholdAdjustedCollateral.toString(),
    max_ltv_health_factor: h.maxLtvHealthFactor === null ? null : decStr(h.maxLtvHealthFactor),
    liquidation_health_factor: h.liquidationHealthFactor === null ? null : decStr(h.liquidationHealthFactor),
    liquidatable: h.liquidatable,
    above_max_ltv: h.aboveMaxLtv,
  };
}
