import { ONE, dec, decStr } from "../math/decimal.js";
import { Random } from "./random.js";

/** The scenarios `--scenario` accepts. */
export const SCENARIOS = ["idle", "crash", "random-walk"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface PricePathOptions {
  scenario: ScenarioName;
  seed: number;
  /** crash: the height at which every non-USDC asset drops by `crashPct`. */
  crashAtBlock: number;
  /** crash: the drop in percent (whole number, 1..99). */
  crashPct: number;
  /** crash: blocks after the crash over which prices return linearly to genesis (0: never). */
  recoverBlocks: number;
  /** random-walk: the largest move per block, in basis points. */
  walkBps: number;
}

export const DEFAULT_PRICE_PATH: Omit<PricePathOptions, "scenario" | "seed"> = { crashAtBlock: 10, crashPct: 30, recoverBlocks: 0, walkBps: 50 };

/**
 * Deterministic oracle prices per height for every market: `idle` keeps the genesis prices,
 * `crash` drops every asset but the neutral one by `crashPct` at `crashAtBlock` (and optionally
 * recovers), `random-walk` moves each asset by up to ±`walkBps` per block from the seed.
 * Prices are 18-digit decimals; the multipliers are exact integers of basis points.
 */
export class PricePath {
  readonly #options: PricePathOptions;
  readonly #genesis: Map<string, bigint>;
  readonly #stable: Set<string>;
  /** random-walk multipliers (atomics) per denom, one map per height computed so far. */
  readonly #walk: Map<string, bigint>[] = [];
  readonly #random: Random;

  constructor(options: PricePathOptions, genesisPrices: Record<string, string>, stableDenoms: string[]) {
    this.#options = options;
    this.#genesis = new Map(Object.entries(genesisPrices).map(([d, p]) => [d, dec(p)]));
    this.#stable = new Set(stableDenoms);
    this.#random = new Random(options.seed ^ 0x5eed);
  }

  /** The oracle price of `denom` at `height`, as a decimal string. */
  price(denom: string, height: number): string {
    const base = this.#genesis.get(denom);
    if (base === undefined) throw new Error(`no genesis price for ${denom}`);
    if (this.#stable.has(denom)) return decStr(base);
    const p = (base * this.multiplier(denom, height)) / ONE;
    return decStr(p > 0n ? p : 1n);
  }

  /** Every market's price at `height`. */
  prices(height: number): Record<string, string> {
    return Object.fromEntries([...this.#genesis.keys()].map((d) => [d, this.price(d, height)]));
  }

  /** The factor (decimal atomics) applied to the genesis price of a non-stable denom at `height`. */
  multiplier(denom: string, height: number): bigint {
    const o = this.#options;
    switch (o.scenario) {
      case "idle":
        return ONE;
      case "crash": {
        if (height < o.crashAtBlock) return ONE;
        const drop = (ONE * BigInt(o.crashPct)) / 100n;
        if (o.recoverBlocks <= 0) return ONE - drop;
        const since = BigInt(Math.min(height - o.crashAtBlock, o.recoverBlocks));
        return ONE - (drop * (BigInt(o.recoverBlocks) - since)) / BigInt(o.recoverBlocks);
      }
      case "random-walk":
        return this.#walkAt(denom, height);
    }
  }

  #walkAt(denom: string, height: number): bigint {
    // One draw per non-stable denom per height, in genesis order, so paths are reproducible.
    while (this.#walk.length <= height) {
      const prev = this.#walk[this.#walk.length - 1];
      const next = new Map<string, bigint>();
      for (const d of this.#genesis.keys()) {
        if (this.#stable.has(d)) continue;
        const bps = BigInt(this.#random.int(-this.#options.walkBps, this.#options.walkBps));
        next.set(d, prev ? (prev.get(d)! * (10_000n + bps)) / 10_000n : ONE);
      }
      this.#walk.push(next);
    }
    return this.#walk[height]!.get(denom) ?? ONE;
  }
}
