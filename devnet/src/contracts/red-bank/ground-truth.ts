import { dec } from "../../math/decimal.js";
import { splitKey } from "../../state/storage.js";
import type { World } from "../../state/world.js";
import { ContractError } from "../host.js";
import type { AssetParamsJson } from "../params-asset.js";
import { computeHealth, isAboveMaxLtv, isLiquidatable, riskParams, userPositions, type Health, type HealthSources, type RiskParams } from "./health.js";
import { CONFIG, DEBTS, loadMarket, type Market } from "./state.js";

/**
 * The model's own Red Bank health, for tests and the scenario engine ("which accounts are
 * liquidatable at height h"): the same positions and formulas as `user_position(_liquidation_pricing)`
 * (spec §2.4), read straight from the World at `world.block.time`, with markets, asset params and
 * prices cached per call so a scan over millions of debtors stays fast.
 */

/** Health plus its verdicts. */
export interface RedBankHealth extends Health {
  liquidatable: boolean;
  aboveMaxLtv: boolean;
}

/** Options of the ground-truth helpers. */
export interface HealthOptions {
  /** `liquidation` (default, as liquidations see it) or `default` oracle prices. */
  pricing?: "liquidation" | "default";
  /** Credit-manager account id of the collateral key (default "" = a Red Bank user). */
  accountId?: string;
}

/** One debtor of a scan: its health, or the error the contract would give (e.g. a missing price). */
export interface ScanEntry {
  user: string;
  health?: RedBankHealth;
  error?: string;
}

/** Health of one user (throws the contract's error text as a ContractError). */
export function redBankHealth(world: World, redBank: string, user: string, options: HealthOptions = {}): RedBankHealth {
  return healthOf(world, redBank, cachedSources(world, redBank), user, options);
}

/**
 * Health of every Red Bank debtor (every address with a `debts` entry, in raw key order: by
 * address length, then address), optionally only the liquidatable ones.
 */
export function redBankHealthScan(world: World, redBank: string, options: HealthOptions & { onlyLiquidatable?: boolean } = {}): ScanEntry[] {
  const sources = cachedSources(world, redBank);
  const store = world.instance(redBank).store;
  const out: ScanEntry[] = [];
  let last = "";
  for (const [key] of store.prefix(DEBTS.prefix)) {
    const [user] = splitKey(key.slice(DEBTS.prefix.length), 2);
    if (user === undefined || user === last) continue;
    last = user;
    try {
      const health = healthOf(world, redBank, sources, user, options);
      if (!options.onlyLiquidatable || health.liquidatable) out.push({ user, health });
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      if (!options.onlyLiquidatable) out.push({ user, error: err.message });
    }
  }
  return out;
}

function healthOf(world: World, redBank: string, sources: HealthSources, user: string, o: HealthOptions): RedBankHealth {
  const store = world.instance(redBank).store;
  const positions = userPositions(store, user, o.accountId ?? "", world.block.time, sources, (o.pricing ?? "liquidation") === "liquidation");
  const h = computeHealth(positions.values());
  return { ...h, liquidatable: isLiquidatable(h), aboveMaxLtv: isAboveMaxLtv(h) };
}

/** Markets, params and prices through the World, each looked up once per denom (errors too). */
function cachedSources(world: World, redBank: string): HealthSources {
  const store = world.instance(redBank).store;
  const ap = CONFIG.load(store)?.address_provider;
  if (!ap) throw new Error(`${redBank} has no Red Bank config`);
  const addr = (t: string) => world.query<{ address: string }>(ap, { address: t }).address;
  const oracle = addr("oracle");
  const params = addr("params");
  const markets = new Map<string, Market>();
  const assetParams = new Map<string, RiskParams | Error>();
  const prices = new Map<string, bigint | Error>();
  const cached = <T>(map: Map<string, T | Error>, key: string, load: () => T): T => {
    let v = map.get(key);
    if (v === undefined) {
      try {
        v = load();
      } catch (err) {
        if (!(err instanceof ContractError)) throw err;
        v = err;
      }
      map.set(key, v);
    }
    if (v instanceof Error) throw v;
    return v;
  };
  return {
    market: (denom) => {
      let m = markets.get(denom);
      if (!m) markets.set(denom, (m = loadMarket(store, denom)));
      return m;
    },
    params: (denom) =>
      cached(assetParams, denom, () => {
        const p = world.query<AssetParamsJson | null>(params, { asset_params: { denom } });
        if (!p) throw new ContractError(`no asset params for ${denom}`);
        return riskParams(p);
      }),
    price: (denom, liquidation) =>
      cached(prices, `${liquidation ? "l" : "d"}:${denom}`, () =>
        dec(world.query<{ price: string }>(oracle, { price: { denom, kind: liquidation ? "liquidation" : "default" } }).price),
      ),
  };
}
