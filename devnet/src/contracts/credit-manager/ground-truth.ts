import type { World } from "../../state/world.js";
import { ceilDiv, dec } from "../../math/decimal.js";
import { splitKey } from "../../state/storage.js";
import { ContractError } from "../host.js";
import { HealthModel } from "../health/contract.js";
import { computeHealth, type DenomAmount, type HealthAssetParams, type HealthPositions, type HealthValues } from "../health/compute.js";
import { COLLS, MARKETS, marketFromJson, userIdKey, type Market } from "../red-bank/state.js";
import { underlyingLiquidity } from "../red-bank/interest.js";
import { ACCOUNT_KINDS, COIN_BALANCES, DEBT_SHARES, ORACLE, PARAMS, RED_BANK, load, totalDebtShares } from "./state.js";

/**
 * Ground truth for tests and the scenario engine: a credit account's health as the health
 * contract computes it (spec §6.3–6.4), as bigints (Decimals as 18-dp atomics).
 * {@link creditAccountHealth} asks the health contract itself; {@link creditAccountHealthScan}
 * reads positions straight from the credit-manager and Red Bank stores (same amounts as the
 * `positions` query) and runs the health model's `computeHealth` with params, prices and the
 * CM's Red Bank debts looked up once per denom — fast enough for millions of accounts.
 */

type Action = "default" | "liquidation";

/** Health of one account through the health contract's `health_values` (`action` default `liquidation`). */
export function creditAccountHealth(world: World, health: string, accountId: string, action: Action = "liquidation"): HealthValues {
  const model = world.instance(health).model;
  if (!(model instanceof HealthModel)) throw new Error(`creditAccountHealth: ${health} is not a health model`);
  let msg: Record<string, unknown> = { account_id: accountId, action };
  if (model.marsVariant !== "neutron") {
    const cm = world.query<{ credit_manager: string }>(health, { config: {} }).credit_manager;
    msg = { account_id: accountId, kind: world.query(cm, { account_kind: { account_id: accountId } }), action };
  }
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

/** One indebted account of a scan: its health or the error the health computation gives. */
export interface CreditScanEntry {
  accountId: string;
  health?: HealthValues;
  error?: string;
}

/**
 * Health of every credit account with a debt (accounts with `debt_shares` entries, in raw key
 * order: by id length, then id), optionally only the liquidatable ones. Vaults, staked LPs and
 * perps are not modelled, so they never contribute. `_health` (the health contract) is not
 * needed by the direct computation; it stays in the signature for callers that pass it.
 */
export function creditAccountHealthScan(world: World, creditManager: string, _health: string, options: { action?: Action; onlyLiquidatable?: boolean } = {}): CreditScanEntry[] {
  const src = sources(world, creditManager, options.action ?? "liquidation");
  const out: CreditScanEntry[] = [];
  let last = "";
  for (const [key] of src.cmStore.prefix(DEBT_SHARES.prefix)) {
    const [accountId] = splitKey(key.slice(DEBT_SHARES.prefix.length), 2);
    if (accountId === undefined || accountId === last) continue;
    last = accountId;
    try {
      const h = src.health(accountId);
      if (!options.onlyLiquidatable || h.liquidatable) out.push({ accountId, health: h });
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      if (!options.onlyLiquidatable) out.push({ accountId, error: err.message });
    }
  }
  return out;
}

/** Per-scan caches of params, prices, markets and the CM's Red Bank debts. */
function sources(world: World, creditManager: string, action: Action) {
  const cmStore = world.instance(creditManager).store;
  const redBank = load(cmStore, RED_BANK).addr;
  const rbStore = world.instance(redBank).store;
  const oracle = load(cmStore, ORACLE);
  const paramsAddr = load(cmStore, PARAMS);
  const now = world.block.time;
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, f: () => T): T => {
    if (!cache.has(key)) {
      try {
        cache.set(key, f());
      } catch (err) {
        if (!(err instanceof ContractError)) throw err;
        cache.set(key, err);
      }
    }
    const v = cache.get(key);
    if (v instanceof ContractError) throw v;
    return v as T;
  };
  const params = (denom: string) => once(`p:${denom}`, () => world.query<HealthAssetParams | null>(paramsAddr, { asset_params: { denom } }));
  const price = (denom: string) => once(`o:${denom}`, () => dec(world.query<{ price: string }>(oracle, { price: { denom, kind: action } }).price));
  const market = (denom: string) => once(`m:${denom}`, () => marketFromJson(MARKETS.load(rbStore, denom)!) as Market);
  const cmDebt = (denom: string) => once(`d:${denom}`, () => BigInt(world.query<{ amount: string }>(redBank, { user_debt: { user: creditManager, denom } }).amount));

  const health = (accountId: string): HealthValues => {
    const debts: DenomAmount[] = DEBT_SHARES.entries(cmStore, [accountId]).map((e) => {
      const denom = e.key[1]!;
      return { denom, amount: ceilDiv(cmDebt(denom) * BigInt(e.value), totalDebtShares(cmStore, denom)) };
    });
    const deposits = COIN_BALANCES.entries(cmStore, [accountId]).map((e) => ({ denom: e.key[1]!, amount: BigInt(e.value) }));
    const lends = COLLS.entries(rbStore, [userIdKey(creditManager, accountId)]).map((e) => ({
      denom: e.key[1]!,
      amount: underlyingLiquidity(BigInt(e.value.amount_scaled), market(e.key[1]!), now),
    }));
    const kind = ACCOUNT_KINDS.load(cmStore, accountId) ?? "default";
    const positions: HealthPositions = { kind: kind === "default" || kind === "high_levered_strategy" ? kind : "other", deposits, lends, stakedLps: [], debts };
    const ps = new Map<string, HealthAssetParams>();
    const prices = new Map<string, bigint>();
    for (const c of [...deposits, ...debts, ...lends]) {
      if (ps.has(c.denom)) continue;
      const p = params(c.denom);
      if (!p) continue;
      ps.set(c.denom, p);
      prices.set(c.denom, price(c.denom));
    }
    return computeHealth(positions, ps, prices);
  };
  return { cmStore, health };
}
