import type { EncodeObject } from "@cosmjs/proto-signing";
import type { MarketState, mars, Product, TxEvent } from "@mlb/shared";
import type { Amount, Signer } from "../signer-pool.js";

/** A position as re-read at the latest height, and its liquidations ranked by expected profit. */
export interface Assessment {
  health: mars.HealthValues;
  options: mars.LiquidationOption[];
}

/** A liquidation ready to simulate and sign; what it earns comes from its simulation. */
export interface Plan {
  option: mars.LiquidationOption;
  msgs: EncodeObject[];
  /** Funds the transaction takes from the signer's wallet, reserved by `plan` (the executor releases them). */
  spends: Amount[];
  /**
   * Collateral the transaction leaves in the wallet for `settle` to sell, and what the sale is
   * expected to fetch (uusd); once the transaction is in its block, `amount` is what arrived.
   */
  sale?: { denom: string; amount: bigint; expectedValue: bigint } | undefined;
  /** What it should earn by the quotes, before the fee (uusd), where the strategy can tell; its simulation decides. */
  estimatedValue?: bigint;
}

/** What differs between the Red Bank and the credit-manager executor. */
export interface Strategy {
  readonly product: Product;
  /** The contract whose liquidation events tell whether someone else liquidated an account. */
  readonly contract: string;
  /** Event attribute that names the liquidated account in that contract's liquidation event. */
  readonly liquidatedAttribute: string;
  /**
   * Prepares a signer at start (the credit manager needs the signer's own credit account; the Red
   * Bank reads the balances and rates its plans ask for, which are kept fresh from then on).
   */
  prepare(signer: Signer, market: MarketState): Promise<void>;
  /** Starts reading, in the same tick as block `height`'s market state, the quotes its plans will need. */
  prefetch(height: number): void;
  /**
   * Re-reads the position now, while `market` (the latest block's) is being read, and sizes every
   * liquidation of it with exact contract math, each debt capped at `sendCap`.
   */
  assess(account: string, market: Promise<MarketState>, sendCap: (denom: string, market: MarketState) => bigint): Promise<Assessment>;
  /** Builds the one transaction of a liquidation for `signer`, proceeds sold for the neutral (Red Bank) or debt (credit manager) asset. */
  plan(account: string, option: mars.LiquidationOption, market: MarketState, signer: Signer): Promise<Plan>;
  /**
   * After the liquidation landed: sells what `plan.sale` names for at least `floorValue` (uusd, what
   * the liquidation cost), returning the events of the transactions it sent.
   */
  settle(plan: Plan, signer: Signer, market: MarketState, floorValue: bigint): Promise<TxEvent[][]>;
}
