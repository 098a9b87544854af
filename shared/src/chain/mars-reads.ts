/**
 * The Mars reads several services share, over a `ChainClient`: contract addresses from the address
 * provider, and the per-block market state (spec §2.6a step 1: asset params, `liquidation` prices,
 * Red Bank markets, the liquidation rules of the deployment, and the credit manager's debt pool).
 */
import type { Logger } from "pino";
import { createRiskSnapshot, type RiskSnapshot } from "../mars/risk-snapshot.js";
import { assetRiskFromJson, marketStateFromJson, priceTableFromJson } from "../mars/from-json.js";
import { parseDecimal, parseUint128 } from "../mars/decimal.js";
import type { LiquidationRules } from "../mars/liquidation.js";
import type { AssetParamsJson, MarketJson, PriceJson, RedBankPosition, ScaledCollateral, ScaledDebt } from "../mars/types.js";
import { CREDIT_MANAGER_MAPS, RED_BANK_MAPS, mapKey, parsePairKey, parseSingleKey, parseUserIdKey, userIdKey } from "../mars/storage.js";
import { ContractQueryError, type ChainClient, type StateModel } from "./rpc-client.js";

/** The contracts the bot reads. */
export interface MarsAddresses {
  redBank: string;
  creditManager: string;
  oracle: string;
  params: string;
  health: string;
  swapper: string;
}

/** Explicit addresses from the configuration (`REDBANK_ADDRESS`, ...); the address provider fills the rest. */
export interface MarsAddressConfig {
  ADDRESS_PROVIDER_ADDRESS: string;
  REDBANK_ADDRESS?: string | undefined;
  CREDIT_MANAGER_ADDRESS?: string | undefined;
  ORACLE_ADDRESS?: string | undefined;
  MARS_PARAMS_ADDRESS?: string | undefined;
  HEALTH_ADDRESS?: string | undefined;
  SWAPPER_ADDRESS?: string | undefined;
}

const PAGE = 30; // the Mars list queries cap `limit` at 30 (spec §1)

/** Pages a Mars list query (`start_after` = `key(last item)`, `limit` 30) until a short page. */
async function pagedList<T>(client: ChainClient, contract: string, query: string, args: Record<string, unknown>, key: (item: T) => unknown): Promise<T[]> {
  const out: T[] = [];
  let startAfter: unknown = null;
  for (;;) {
    const page = await client.smart<T[]>(contract, { [query]: { ...args, start_after: startAfter, limit: PAGE } });
    out.push(...page);
    if (page.length < PAGE) return out;
    startAfter = key(page[page.length - 1]!);
  }
}

/** Reads the address provider once and applies the explicit overrides; names every address it cannot find. */
export async function resolveMarsAddresses(client: ChainClient, config: MarsAddressConfig): Promise<MarsAddresses> {
  const listed = await pagedList<{ address_type: string; address: string }>(client, config.ADDRESS_PROVIDER_ADDRESS, "all_addresses", {}, (a) => a.address_type);
  const found = new Map(listed.map((a) => [a.address_type, a.address]));
  const pick = (override: string | undefined, type: string, variable: string): string => {
    const address = override ?? found.get(type);
    if (address === undefined) missing.push(`${type} (set ${variable})`);
    return address ?? "";
  };
  const missing: string[] = [];
  const addresses = {
    redBank: pick(config.REDBANK_ADDRESS, "red_bank", "REDBANK_ADDRESS"),
    creditManager: pick(config.CREDIT_MANAGER_ADDRESS, "credit_manager", "CREDIT_MANAGER_ADDRESS"),
    oracle: pick(config.ORACLE_ADDRESS, "oracle", "ORACLE_ADDRESS"),
    params: pick(config.MARS_PARAMS_ADDRESS, "params", "MARS_PARAMS_ADDRESS"),
    health: pick(config.HEALTH_ADDRESS, "health", "HEALTH_ADDRESS"),
    swapper: pick(config.SWAPPER_ADDRESS, "swapper", "SWAPPER_ADDRESS"),
  };
  if (missing.length > 0) throw new Error(`address provider ${config.ADDRESS_PROVIDER_ADDRESS} has no address for ${missing.join(", ")}`);
  return addresses;
}

/** The credit manager's side of Red Bank at one block: its (uncollateralized) scaled debt and the debt shares issued over it (spec §6.3). */
export interface CreditManagerDebtPool {
  /** Red Bank scaled debt of the credit manager per denom. */
  readonly debtScaled: ReadonlyMap<string, bigint>;
  /** `total_debt_shares` per denom. */
  readonly totalShares: ReadonlyMap<string, bigint>;
}

/** One block's market state: everything local health and sizing need besides the positions. */
export interface MarketState {
  readonly height: number;
  readonly timeSec: number;
  readonly snapshot: RiskSnapshot;
  readonly rules: LiquidationRules;
  /** Only when read for the credit manager. */
  readonly debtPool: CreditManagerDebtPool | null;
  /** Denoms whose price could not be read this block (their positions cannot be evaluated). */
  readonly unpriced: readonly string[];
}

/**
 * Reads asset params, `liquidation` prices (falling back to one query per denom when a page fails,
 * since one broken source fails the whole page, spec §5), Red Bank markets, the liquidation rules
 * ([OSMO] target health factor, or [NTRN] close factors, detected from the params) and, for the
 * credit manager, its debt pool; then builds the snapshot with indexes accrued to `at.timeSec`
 * (`at` may be a read under way: the chain's head asked for in the same moment).
 */
export async function readMarketState(
  client: ChainClient,
  addresses: MarsAddresses,
  at: { height: number; timeSec: number } | Promise<{ height: number; timeSec: number }>,
  opts: { creditManager: boolean; logger?: Logger },
): Promise<MarketState> {
  // Every read at once, one round trip (the target health factor asked for whatever the variant:
  // a Neutron params contract answers it with an error, never looked at).
  const paramsRead = pagedList<AssetParamsJson>(client, addresses.params, "all_asset_params", {}, (p) => p.denom);
  const targetRead = client.smart<string>(addresses.params, { target_health_factor: {} });
  targetRead.catch(() => undefined);
  const [paramsJson, marketsJson, prices, debtPool, head] = await Promise.all([
    paramsRead,
    pagedList<MarketJson>(client, addresses.redBank, "markets", {}, (m) => m.denom),
    readPrices(client, addresses.oracle, paramsRead.then((ps) => ps.map((p) => p.denom)), opts.logger),
    opts.creditManager ? readDebtPool(client, addresses) : Promise.resolve(null),
    at,
  ]);
  const neutron = paramsJson.some((p) => "close_factor" in p);
  const rules: LiquidationRules = neutron ? { variant: "neutron" } : { variant: "osmosis", targetHealthFactor: parseDecimal(await targetRead, "target_health_factor") };
  const snapshot = createRiskSnapshot({
    timeSec: head.timeSec,
    prices: prices.table,
    risks: paramsJson.map(assetRiskFromJson),
    markets: marketsJson.map(marketStateFromJson),
  });
  return { height: head.height, timeSec: head.timeSec, snapshot, rules, debtPool, unpriced: prices.unpriced };
}

async function readPrices(client: ChainClient, oracle: string, denomsRead: Promise<readonly string[]>, logger?: Logger): Promise<{ table: Map<string, bigint>; unpriced: string[] }> {
  try {
    const all = await pagedList<PriceJson>(client, oracle, "prices", { kind: "liquidation" }, (p) => p.denom);
    const table = priceTableFromJson(all);
    return { table, unpriced: (await denomsRead).filter((d) => !table.has(d)) };
  } catch (err) {
    if (!(err instanceof ContractQueryError)) throw err;
    logger?.warn({ err }, "the oracle's price page failed; reading prices one denom at a time");
  }
  const denoms = await denomsRead;
  const table = new Map<string, bigint>();
  const unpriced: string[] = [];
  await Promise.all(
    denoms.map(async (denom) => {
      try {
        const p = await client.smart<PriceJson>(oracle, { price: { denom, kind: "liquidation" } });
        table.set(denom, parseDecimal(p.price, `price of ${denom}`));
      } catch (err) {
        if (!(err instanceof ContractQueryError)) throw err;
        unpriced.push(denom);
      }
    }),
  );
  if (unpriced.length > 0) logger?.warn({ unpriced }, "no liquidation price for these denoms this block");
  return { table, unpriced };
}


const decoder = new TextDecoder();

/** Reads the credit manager's Red Bank debts (raw `debts` under its address) and its `total_debt_shares` (spec §3.2, §3.3). */
export async function readDebtPool(client: ChainClient, addresses: MarsAddresses): Promise<CreditManagerDebtPool> {
  const [debts, shares] = await Promise.all([
    client.readPrefix(addresses.redBank, mapKey("debts", addresses.creditManager), { pageLimit: 1_000 }),
    client.readPrefix(addresses.creditManager, mapKey(CREDIT_MANAGER_MAPS.totalDebtShares), { pageLimit: 1_000 }),
  ]);
  const debtScaled = new Map<string, bigint>();
  for (const { key, value } of debts.models) {
    const denom = parsePairKey("debts", key)?.[1];
    const v = JSON.parse(decoder.decode(value)) as { amount_scaled: string };
    if (denom !== undefined) debtScaled.set(denom, parseUint128(v.amount_scaled, `credit manager debt of ${denom}`));
  }
  const totalShares = new Map<string, bigint>();
  for (const { key, value } of shares.models) {
    const denom = parseSingleKey(CREDIT_MANAGER_MAPS.totalDebtShares, key);
    if (denom !== null) totalShares.set(denom, parseUint128(JSON.parse(decoder.decode(value)) as string, `total debt shares of ${denom}`));
  }
  return { debtScaled, totalShares };
}

const textDecoder = new TextDecoder();
const jsonOf = (value: Uint8Array) => JSON.parse(textDecoder.decode(value)) as Record<string, unknown>;

/** One entry of the Red Bank's raw `debts` map ((address, denom) → `{"amount_scaled","uncollateralized"}`, spec §3.2); null when malformed. */
export function redBankDebtEntry(m: StateModel): { user: string; debt: ScaledDebt } | null {
  const key = parsePairKey(RED_BANK_MAPS.debts, m.key);
  const v = jsonOf(m.value);
  if (key === null || typeof v.amount_scaled !== "string") return null;
  return { user: key[0], debt: { denom: key[1], amountScaled: BigInt(v.amount_scaled), uncollateralized: v.uncollateralized === true } };
}

/** One entry of the Red Bank's raw `colls` map ((UserIdKey, denom) → `{"amount_scaled","enabled"}`); null when malformed. */
export function redBankCollateralEntry(m: StateModel): { user: { addr: string; accountId: string }; collateral: ScaledCollateral } | null {
  const key = parsePairKey(RED_BANK_MAPS.colls, m.key);
  const user = key === null ? null : parseUserIdKey(key[0]);
  const v = jsonOf(m.value);
  if (key === null || user === null || typeof v.amount_scaled !== "string") return null;
  return { user, collateral: { denom: key[1], amountScaled: BigInt(v.amount_scaled), enabled: v.enabled === true } };
}

/**
 * A Red Bank user's position as the contract stores it (scaled amounts, every entry), from its raw
 * `debts` and `colls` entries at the latest height: two prefix reads, no contract execution.
 */
export async function readRedBankPosition(client: ChainClient, redBank: string, user: string): Promise<{ position: RedBankPosition; height: number | null }> {
  // A user has a few entries per map: a small first page usually holds them all and the next key.
  const read = (prefix: Uint8Array) => client.readPrefix(redBank, prefix, { pageLimit: 10 });
  const [debts, colls] = await Promise.all([read(mapKey(RED_BANK_MAPS.debts, user)), read(mapKey(RED_BANK_MAPS.colls, userIdKey(user)))]);
  const position = {
    debts: debts.models.flatMap((m) => redBankDebtEntry(m)?.debt ?? []),
    collaterals: colls.models.flatMap((m) => redBankCollateralEntry(m)?.collateral ?? []),
  };
  const heights = [debts.height, colls.height].filter((h): h is number => h !== null);
  return { position, height: heights.length === 0 ? null : Math.min(...heights) };
}
