/**
 * Detection counts of one product over consecutive blocks: at each height h the devnet's ground
 * truth T_h (liquidatable accounts) and the health checker's flagged set F_h. An account "becomes
 * liquidatable" at h when it is in T_h and was not in T_{h-1} (an account that recovers and falls
 * again counts again). Each such entry must be flagged at h, or at worst at h + 1; nothing outside
 * T_h may be flagged at h.
 */

/** What a `DetectionTally` found (the JSON of one product in bench/results/detection.json). */
export interface DetectionCounts {
  /** Positions of the product when the run began, as the collector's first scan found them (Red Bank debtors, or credit accounts with debt). */
  debtors: number;
  /** Blocks evaluated. */
  blocks: number;
  /** In T at the first block evaluated (when they became liquidatable is not known). */
  liquidatable_at_start: number;
  /** Of those, not flagged at the first block. */
  liquidatable_at_start_unflagged: number;
  /** Entries into T after the first block. */
  became_liquidatable: number;
  /** Distinct accounts among those entries. */
  accounts_became_liquidatable: number;
  /** Entries flagged at the height they entered T. */
  flagged_same_block: number;
  /** Entries not flagged at that height but at the next one. */
  flagged_next_block: number;
  /** Entries flagged at neither (an entry at the last block that was not flagged counts here). */
  missed: number;
  /** Σ over blocks of |F_h \ T_h|: flagged but not liquidatable. */
  false_positives: number;
  /** Σ over blocks of |T_h \ F_h|: liquidatable but not flagged at that block (0 when detection is exact every block). */
  unflagged_account_blocks: number;
  /** Σ over blocks of |T_h|. */
  liquidatable_account_blocks: number;
  /** Exits from T (prices recovered). */
  recovered: number;
}

export class DetectionTally {
  readonly #debtors: number;
  #height: number | undefined;
  #truth = new Set<string>();
  /** Entries of the previous block that were not flagged there: next-block or missed. */
  #pending: string[] = [];
  #accounts = new Set<string>();
  readonly #c: DetectionCounts;

  constructor(debtors: number) {
    this.#debtors = debtors;
    this.#c = {
      debtors,
      blocks: 0,
      liquidatable_at_start: 0,
      liquidatable_at_start_unflagged: 0,
      became_liquidatable: 0,
      accounts_became_liquidatable: 0,
      flagged_same_block: 0,
      flagged_next_block: 0,
      missed: 0,
      false_positives: 0,
      unflagged_account_blocks: 0,
      liquidatable_account_blocks: 0,
      recovered: 0,
    };
  }

  /** Records block `height` (each call one block above the previous). */
  add(height: number, truth: Iterable<string>, flagged: Iterable<string>): void {
    if (this.#height !== undefined && height !== this.#height + 1) throw new Error(`detection tally: block ${height} after ${this.#height}; blocks must be consecutive`);
    const first = this.#height === undefined;
    const t = new Set(truth);
    const f = new Set(flagged);
    const c = this.#c;
    c.blocks++;
    c.liquidatable_account_blocks += t.size;
    for (const a of f) if (!t.has(a)) c.false_positives++;
    for (const a of this.#pending) {
      if (f.has(a)) c.flagged_next_block++;
      else c.missed++;
    }
    this.#pending = [];
    for (const a of t) {
      if (!f.has(a)) c.unflagged_account_blocks++;
      if (first) {
        c.liquidatable_at_start++;
        if (!f.has(a)) c.liquidatable_at_start_unflagged++;
        continue;
      }
      if (this.#truth.has(a)) continue;
      c.became_liquidatable++;
      this.#accounts.add(a);
      if (f.has(a)) c.flagged_same_block++;
      else this.#pending.push(a);
    }
    for (const a of this.#truth) if (!t.has(a)) c.recovered++;
    this.#truth = t;
    this.#height = height;
  }

  /** The counts so far; entries of the last block still waiting for a next-block flag count as missed. */
  result(): DetectionCounts {
    return { ...this.#c, debtors: this.#debtors, accounts_became_liquidatable: this.#accounts.size, missed: this.#c.missed + this.#pending.length };
  }
}
