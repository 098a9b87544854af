import { sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import type { BulkCreditAccount } from "../contracts/credit-manager/bulk.js";
import type { SeedPosition } from "../contracts/red-bank/seed.js";
import { dec } from "../math/decimal.js";
import type { ChainSpec, MarketSpec } from "../genesis/chains.js";
import { Random } from "./random.js";

/**
 * Realistic positions for scale: several collateral and debt denoms per account, sizes from $100
 * to $100k, and health factors spread around 1 (2 % already below 1, 28 % within 5 % above it,
 * the rest up to 2), so a price move makes many of them liquidatable. Deterministic from the seed
 * and the index, so `--seed` reproduces the same accounts.
 */

/** A deterministic 20-byte account address for a scenario actor. */
export function actorAddress(prefix: string, kind: string, seed: number, index: number): string {
  return toBech32(prefix, sha256(new TextEncoder().encode(`${kind}:${seed}:${index}`)).slice(0, 20));
}

interface Priced {
  market: MarketSpec;
  /** Price atomics (uusd per base unit × 1e18). */
  price: bigint;
  /** Liquidation threshold atomics. */
  lt: bigint;
}

const E18 = 10n ** 18n;

/** Target health factor in basis points. */
function targetHealthBps(r: Random): bigint {
  const u = r.int(0, 99);
  if (u < 2) return BigInt(r.int(9_000, 9_999));
  if (u < 30) return BigInt(r.int(10_000, 10_500));
  return BigInt(r.int(10_501, 20_000));
}

/** Splits `total` into `n` random positive parts. */
function split(r: Random, total: bigint, n: number): bigint[] {
  const w = Array.from({ length: n }, () => BigInt(r.int(1, 100)));
  const sum = w.reduce((a, b) => a + b, 0n);
  return w.map((x) => (total * x) / sum);
}

/** Generates positions; `prices` are the current oracle prices (decimal strings) by denom. */
export class PositionGenerator {
  readonly #priced: Priced[];
  readonly #spec: ChainSpec;
  readonly #seed: number;

  constructor(spec: ChainSpec, prices: Record<string, string>, seed: number) {
    this.#spec = spec;
    this.#seed = seed;
    this.#priced = spec.markets.map((m) => ({ market: m, price: dec(prices[m.denom] ?? m.price), lt: dec(m.liquidationThreshold) }));
  }

  /** Red Bank debtor number `index`. */
  redBank(index: number): SeedPosition {
    const r = new Random((this.#seed * 1_000_003 + index) >>> 0);
    const user = actorAddress(this.#spec.prefix, "redbank-debtor", this.#seed, index);
    const { collaterals, debts } = this.#amounts(r);
    return { user, collaterals: collaterals.map(([p, amount]) => ({ denom: p.market.denom, amount })), debts: debts.map(([p, amount]) => ({ denom: p.market.denom, amount })) };
  }

  /** Credit account number `index` (deposits, sometimes lends, and debt). */
  creditAccount(index: number): BulkCreditAccount {
    const r = new Random((this.#seed * 7_000_003 + index) >>> 0);
    const owner = actorAddress(this.#spec.prefix, "credit-account-owner", this.#seed, index);
    const { collaterals, debts } = this.#amounts(r);
    const lend = r.int(0, 9) < 3;
    const coins = collaterals.map(([p, amount]) => ({ denom: p.market.denom, amount }));
    return {
      owner,
      deposits: lend ? coins.slice(1) : coins,
      lends: lend ? coins.slice(0, 1) : [],
      debts: debts.map(([p, amount]) => ({ denom: p.market.denom, amount })),
    };
  }

  #amounts(r: Random): { collaterals: [Priced, bigint][]; debts: [Priced, bigint][] } {
    const nColl = r.int(1, 3);
    const collMarkets = r.sample(this.#priced, nColl);
    const others = this.#priced.filter((p) => !collMarkets.includes(p));
    const debtMarkets = r.sample(others.length ? others : this.#priced, r.int(1, 2));
    const usd = BigInt(Math.floor(10 ** (2 + 3 * r.float())));
    const collaterals: [Priced, bigint][] = [];
    let ltAdjusted = 0n;
    const values = split(r, usd * 1_000_000n, nColl);
    for (const [i, p] of collMarkets.entries()) {
      const amount = (values[i]! * E18) / p.price;
      if (amount === 0n) continue;
      collaterals.push([p, amount]);
      ltAdjusted += ((((amount * p.price) / E18) * p.lt) / E18);
    }
    const debtValue = (ltAdjusted * 10_000n) / targetHealthBps(r);
    const debts: [Priced, bigint][] = [];
    const parts = split(r, debtValue, debtMarkets.length);
    debtMarkets.forEach((p, i) => {
      const amount = (parts[i]! * E18 + p.price - 1n) / p.price;
      if (amount > 0n) debts.push([p, amount]);
    });
    return { collaterals, debts };
  }
}
