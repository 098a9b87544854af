import type { MarsVariant } from "../src/contracts/host.js";
import { deployCreditManagerStack, type RoverAddresses } from "../src/contracts/credit-manager/deploy.js";
import { bulkCreateCreditAccounts, type BulkCreditAccount } from "../src/contracts/credit-manager/bulk.js";
import { setUpSwapperMarket } from "../src/contracts/swapper/genesis.js";
import type { ChainEvent } from "../src/state/world.js";
import { account, addMarket, fixture, type Fixture, type MarketSettings } from "./red-bank-fixture.js";

/**
 * A World with the core Mars contracts (Red Bank fixture), the Rover contracts of
 * `deployCreditManagerStack` and a swapper pool `gas/neutral` (id 678, $10M deep, 0.2 % fee),
 * plus helpers to drive the credit manager through `World.execute` / `World.query`.
 */

export const POOL_ID = 678;
export const POOL_DEPTH_USD = 10_000_000n;
export const POOL_FEE_BPS = 20;

export interface RoverFixture extends Fixture {
  r: RoverAddresses;
  bot: string;
  other: string;
  /** Executes on the credit manager. */
  cm(sender: string, msg: unknown, funds?: { denom: string; amount: string }[]): ChainEvent[];
  /** Queries the credit manager. */
  cmq<T>(msg: unknown): T;
  positions(accountId: string): Positions;
  /** The coin balance of an account (0 when absent). */
  deposit(accountId: string, denom: string): bigint;
  bulk(accounts: BulkCreditAccount[]): string[];
  /** The swap route of the pool in the variant's message form. */
  route(from: string, to: string): unknown;
}

export interface Positions {
  account_id: string;
  account_kind: string;
  deposits: { denom: string; amount: string }[];
  debts: { denom: string; shares: string; amount: string }[];
  lends: { denom: string; amount: string }[];
  vaults: unknown[];
  staked_astro_lps: unknown[];
  perps?: unknown[];
}

/**
 * Markets `gas` (price `gasPrice`) and `neutral` (price 1) with the chain's mainnet-like params,
 * a Red Bank lender of 20_000 USDC, the Rover stack and the swapper pool.
 */
export function roverFixture(variant: MarsVariant, opts: { gasPrice?: string; gas?: Partial<MarketSettings>; neutral?: Partial<MarketSettings> } = {}): RoverFixture {
  const f = fixture(variant);
  addMarket(f, f.gas, { price: opts.gasPrice ?? "0.5", ...opts.gas });
  addMarket(f, f.neutral, { price: "1", ...opts.neutral });
  f.exec(f.lender, f.c.redBank, { deposit: {} }, [{ denom: f.neutral, amount: "20000000000" }]);
  const r = deployCreditManagerStack(f.world, { variant, owner: f.owner, core: f.c });
  setUpSwapperMarket(f.world, r.swapper, { pools: [{ id: POOL_ID, denoms: [f.gas, f.neutral], depthUsd: POOL_DEPTH_USD, feeBps: POOL_FEE_BPS }] });
  const prefix = variant === "osmosis" ? "osmo" : "neutron";
  const rf: RoverFixture = {
    ...f,
    r,
    bot: account(prefix, "bot"),
    other: account(prefix, "other"),
    cm: (sender, msg, funds = []) => f.world.execute(sender, r.creditManager, msg, funds),
    cmq: <T>(msg: unknown) => f.world.query<T>(r.creditManager, msg),
    positions: (id) => f.world.query<Positions>(r.creditManager, { positions: { account_id: id } }),
    deposit: (id, denom) => BigInt(rf.positions(id).deposits.find((d) => d.denom === denom)?.amount ?? "0"),
    bulk: (accounts) => bulkCreateCreditAccounts(f.world, r.creditManager, accounts),
    route: (from, to) => (variant === "osmosis" ? { osmo: { swaps: [{ pool_id: POOL_ID, to }] } } : { astro: { swaps: [{ from, to }] } }),
  };
  for (const a of [rf.bot, rf.other]) {
    f.world.bank.mint(a, f.gas, 100_000_000_000n);
    f.world.bank.mint(a, f.neutral, 100_000_000_000n);
  }
  return rf;
}

/**
 * Worked example D (spec §6.5): the CM's Red Bank debt is 10_000_000_000 neutral with 1e16
 * shares; account 42 (owner `user`) holds 3.9e15 of them and deposits 10_000_000_000 gas; the
 * bot owns the empty account 7; account 43 (`other`) owns the remaining 6.1e15 shares.
 */
export function exampleD(variant: MarsVariant, opts: { lend?: boolean } = {}): RoverFixture {
  const f = roverFixture(variant);
  const filler = (n: number) => Array.from({ length: n }, () => ({ owner: f.other }));
  const collateral = [{ denom: f.gas, amount: 10_000_000_000n }];
  const ids = f.bulk([
    ...filler(5), // 2..6
    { owner: f.bot }, // 7
    ...filler(34), // 8..41
    { owner: f.user, ...(opts.lend ? { lends: collateral } : { deposits: collateral }), debts: [{ denom: f.neutral, amount: 3_900_000_000n }] }, // 42
    { owner: f.other, deposits: [{ denom: f.gas, amount: 20_000_000_000n }], debts: [{ denom: f.neutral, amount: 6_100_000_000n }] }, // 43
  ]);
  if (ids[5] !== "7" || ids[40] !== "42") throw new Error(`unexpected ids ${ids[5]}, ${ids[40]}`);
  return f;
}

/**
 * The `wasm` events of a contract split at each `action` attribute (a Response merged from several
 * steps, e.g. `create_credit_account` + deposits + dispatch, carries several), each segment as a
 * key → value record.
 */
export function wasmEvents(events: ChainEvent[], contract: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const e of events) {
    if (e.type !== "wasm" || e.attributes[0]?.value !== contract) continue;
    let cur: Record<string, string> | undefined;
    for (const a of e.attributes.slice(1)) {
      if (a.key === "action" || !cur) {
        cur = { _contract_address: contract };
        out.push(cur);
      }
      if (!(a.key in cur)) cur[a.key] = a.value;
    }
  }
  return out;
}

/** The first `wasm` event segment of `contract` whose `action` is `action`. */
export function actionEvent(events: ChainEvent[], contract: string, action: string): Record<string, string> {
  const e = wasmEvents(events, contract).find((x) => x.action === action);
  if (!e) throw new Error(`no ${action} event of ${contract}`);
  return e;
}

/** Constant-product output of the fixture pool right after re-centring (independent of the model's code). */
export function expectedPoolOut(amountIn: bigint, priceIn: { num: bigint; den: bigint }, priceOut: { num: bigint; den: bigint }): bigint {
  // Each side holds half the depth in uusd: reserve = 5e12 / price.
  const half = (POOL_DEPTH_USD * 1_000_000n) / 2n;
  const x = (half * priceIn.den) / priceIn.num;
  const y = (half * priceOut.den) / priceOut.num;
  const aEff = amountIn * BigInt(10_000 - POOL_FEE_BPS);
  return (y * aEff) / (x * 10_000n + aEff);
}
