import { sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import type { MarsVariant } from "../src/contracts/host.js";
import { deployMarsCore, type MarsCoreAddresses } from "../src/contracts/mars-core/deploy.js";
import { World, type ChainEvent } from "../src/state/world.js";

/**
 * A World with the core Mars contracts deployed and markets administered through the same owner
 * messages as the devnet conformance check (shared/tools/devnet-conformance.mjs steps 4–9):
 * `set_price_source` fixed, `update_asset_params` add_or_update, [OSMO] `update_target_health_factor`
 * and Red Bank `update_asset` with a zero-rate model ([NTRN] the IRM travels in the asset params).
 */

export const DENOMS = {
  osmosis: { gas: "uosmo", neutral: "ibc/498A0751C798A0D9A389AA3691123DADA57DAA4FE165D5C75894505B876BA6E4" },
  neutron: { gas: "untrn", neutral: "ibc/B559A80D62249C8AA07A380E2A2BEA6E5CA9A6F079C912C3A9E9B494105E4F81" },
} as const;

export const ZERO_IRM = { optimal_utilization_rate: "0.8", base: "0", slope_1: "0", slope_2: "0" };

/** A deterministic 20-byte account address with the chain's prefix (43 chars on osmo). */
export function account(prefix: string, name: string): string {
  return toBech32(prefix, sha256(new TextEncoder().encode(name)).slice(0, 20));
}

export interface Fixture {
  variant: MarsVariant;
  world: World;
  c: MarsCoreAddresses;
  owner: string;
  lender: string;
  user: string;
  liq: string;
  gas: string;
  neutral: string;
  exec(sender: string, contract: string, msg: unknown, funds?: { denom: string; amount: string }[]): ChainEvent[];
  query<T>(contract: string, msg: unknown): T;
  /** Sets a price source `fixed` through the owner message. */
  setPrice(denom: string, price: string): void;
}

/** Market risk settings for {@link addMarket}. */
export interface MarketSettings {
  price: string;
  maxLtv?: string;
  lt?: string;
  irm?: typeof ZERO_IRM;
  reserveFactor?: string;
  depositCap?: string;
  borrowEnabled?: boolean;
  withdrawEnabled?: boolean;
}

/** A deployed world with accounts funded in the gas and neutral denoms. */
export function fixture(variant: MarsVariant, time = 1_700_000_000): Fixture {
  const prefix = variant === "osmosis" ? "osmo" : "neutron";
  const world = new World({ prefix, chainId: `${variant}-test`, time });
  const owner = account(prefix, "owner");
  const c = deployMarsCore(world, { variant, owner });
  const { gas, neutral } = DENOMS[variant];
  const f: Fixture = {
    variant, world, c, owner, gas, neutral,
    lender: account(prefix, "lender"),
    user: account(prefix, "user"),
    liq: account(prefix, "liquidator"),
    exec: (sender, contract, msg, funds = []) => world.execute(sender, contract, msg, funds),
    query: (contract, msg) => world.query(contract, msg),
    setPrice: (denom, price) => void world.execute(owner, c.oracle, { set_price_source: { denom, price_source: { fixed: { price } } } }),
  };
  for (const a of [f.lender, f.user, f.liq]) {
    world.bank.mint(a, gas, 100_000_000_000n);
    world.bank.mint(a, neutral, 100_000_000_000n);
  }
  if (variant === "osmosis") f.exec(owner, c.params, { update_target_health_factor: "1.05" });
  return f;
}

/** The asset params JSON of the chain's mainnet-like config (spec §2.6 A/B). */
export function assetParams(f: Fixture, denom: string, s: MarketSettings): Record<string, unknown> {
  const osmo = f.variant === "osmosis";
  const p: Record<string, unknown> = {
    denom,
    credit_manager: osmo ? { whitelisted: true, hls: null } : { whitelisted: true, withdraw_enabled: true, hls: null },
    red_bank: osmo
      ? { deposit_enabled: true, borrow_enabled: s.borrowEnabled ?? true }
      : { deposit_enabled: true, borrow_enabled: s.borrowEnabled ?? true, withdraw_enabled: s.withdrawEnabled ?? true },
    max_loan_to_value: s.maxLtv ?? "0.73",
    liquidation_threshold: s.lt ?? "0.75",
    liquidation_bonus: osmo ? { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" } : { starting_lb: "0", slope: "2", min_lb: "0", max_lb: "0.05" },
    protocol_liquidation_fee: osmo ? "0.25" : "0.5",
    deposit_cap: s.depositCap ?? "1000000000000000",
  };
  if (!osmo) Object.assign(p, { close_factor: "0.9", reserve_factor: s.reserveFactor ?? "0", interest_rate_model: s.irm ?? ZERO_IRM });
  return p;
}

/** Creates a market as the owner would: price source, asset params, [OSMO] `init_asset` + `update_asset`. */
export function addMarket(f: Fixture, denom: string, s: MarketSettings): void {
  f.setPrice(denom, s.price);
  if (f.variant === "osmosis") {
    const irm = s.irm ?? ZERO_IRM;
    f.exec(f.owner, f.c.redBank, { init_asset: { denom, params: { reserve_factor: s.reserveFactor ?? "0", interest_rate_model: irm } } });
    f.exec(f.owner, f.c.params, { update_asset_params: { add_or_update: { params: assetParams(f, denom, s) } } });
    f.exec(f.owner, f.c.redBank, { update_asset: { denom, params: { reserve_factor: s.reserveFactor ?? "0", interest_rate_model: irm } } });
  } else {
    f.exec(f.owner, f.c.params, { update_asset_params: { add_or_update: { params: assetParams(f, denom, s) } } });
  }
}

/**
 * The worked-example position of spec §2.6: lender supplies 20_000 USDC, the user deposits 10_000
 * gas tokens at price 1 and borrows `debt` USDC, then the gas price drops to 0.5.
 */
export function workedExample(variant: MarsVariant, debt = "3900000000"): Fixture {
  const f = fixture(variant);
  addMarket(f, f.gas, { price: "1" });
  addMarket(f, f.neutral, { price: "1" });
  f.exec(f.lender, f.c.redBank, { deposit: {} }, [{ denom: f.neutral, amount: "20000000000" }]);
  f.exec(f.user, f.c.redBank, { deposit: {} }, [{ denom: f.gas, amount: "10000000000" }]);
  f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: debt } });
  f.setPrice(f.gas, "0.5");
  return f;
}

/** The attributes of the `wasm` event of `contract` as a key → value record (first occurrence). */
export function wasmAttrs(events: ChainEvent[], contract: string): Record<string, string> {
  const e = events.find((ev) => ev.type === "wasm" && ev.attributes[0]?.value === contract);
  if (!e) throw new Error(`no wasm event of ${contract}`);
  const out: Record<string, string> = {};
  for (const a of e.attributes) if (!(a.key in out)) out[a.key] = a.value;
  return out;
}

/** Expects `fn` to throw and returns the message. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
}

/** `user_debt` / `user_collateral` responses. */
export interface UserDebt {
  denom: string;
  amount_scaled: string;
  amount: string;
  uncollateralized: boolean;
}
export interface UserCollateral {
  denom: string;
  amount_scaled: string;
  amount: string;
  enabled: boolean;
}
/** `user_position` response. */
export interface UserPosition {
  total_enabled_collateral: string;
  total_collateralized_debt: string;
  weighted_max_ltv_collateral: string;
  weighted_liquidation_threshold_collateral: string;
  health_status: "not_borrowing" | { borrowing: { max_ltv_hf: string; liq_threshold_hf: string } };
}

/** Underlying debt of `user` in `denom`. */
export function debtOf(f: Fixture, user: string, denom: string): bigint {
  return BigInt(f.query<UserDebt>(f.c.redBank, { user_debt: { user, denom } }).amount);
}

/** Underlying Red Bank collateral of `user` in `denom`. */
export function collateralOf(f: Fixture, user: string, denom: string): bigint {
  return BigInt(f.query<UserCollateral>(f.c.redBank, { user_collateral: { user, denom } }).amount);
}
