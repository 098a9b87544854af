import type { World } from "../../state/world.js";
import { dec } from "../../math/decimal.js";
import { ContractError } from "../host.js";
import { splitKey } from "../../state/storage.js";
import { HealthModel } from "../health/contract.js";
import type { HealthValues } from "../health/compute.js";
import { DEBT_SHARES } from "./state.js";

/**
 * Ground truth for tests and the scenario engine: a credit account's health exactly as the
 * health contract computes it (spec §6.3–6.4), parsed into bigints (Decimals as 18-dp atomics).
 */

/** Health of one account through the health contract's `health_values` (`action` default `liquidation`). */
export function creditAccountHealth(world: World, health: string, accountId: string, action: "default" | "liquidation" = "liquidation"): HealthValues {
  const model = world.instance(health).model;
  if (!(model instanceof HealthModel)) throw new Error(`creditAccountHealth: ${health} is not a health model`);
  const msg = model.marsVariant === "neutron" ? { account_id: accountId, action } : { account_id: accountId, kind: "default", action };
  const r = world.query<Record<string, unknown>>(health, { health_values: msg });
  const opt = (v: unknown) => (v === null ? null : dec(String(v)));
  return {
    totalDebtValue: BigInt(String(r["total_debt_value"])),
    totalCollateralValue: BigInt(String(r["total_collateral_value"])),
    maxLtvAdjustedCollateral: BigInt(String(r["max_ltv_adjusted_collateral"])),
    liquidationThresholdAdjustedCollateral: BigInt(String(r["liquidation_threshold_adjusted_collateral"])),
    maxLtvHealthFactor: opt(r["max_ltv_health_factor"]),
    liquidationHealthFactor: opt(r["liquidation_health_factor"]),
    liquidatable: r["liquidatable"] === true,
    aboveMaxLtv: r["above_max_ltv"] === true,
  };
}

/** One indebted account of a scan: its health or the error the health contract gives. */
export interface CreditScanEntry {
  accountId: string;
  health?: HealthValues;
  error?: string;
}

/**
 * Health of every credit account with a debt (accounts with `debt_shares` entries, in raw key
 * order: by id length, then id), optionally only the liquidatable ones.
 */
export function creditAccountHealthScan(world: World, creditManager: string, health: string, options: { action?: "default" | "liquidation"; onlyLiquidatable?: boolean } = {}): CreditScanEntry[] {
  const store = world.instance(creditManager).store;
  const out: CreditScanEntry[] = [];
  let last = "";
  for (const [key] of store.prefix(DEBT_SHARES.prefix)) {
    const [accountId] = splitKey(key.slice(DEBT_SHARES.prefix.length), 2);
    if (accountId === undefined || accountId === last) continue;
    last = accountId;
    try {
      const h = creditAccountHealth(world, health, accountId, options.action ?? "liquidation");
      if (!options.onlyLiquidatable || h.liquidatable) out.push({ accountId, health: h });
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      if (!options.onlyLiquidatable) out.push({ accountId, error: err.message });
    }
  }
  return out;
}
