import type { EncodeObject } from "@cosmjs/proto-signing";
import type { MarketState, mars, Product, TxEvent } from "@mlb/shared";
import type { Signer } from "../signer-pool.js";

/** A position as re-read at the latest height, and its liquidations ranked by expected profit. */
export interface Assessment {
  health: mars.HealthValues;
  options: mars.LiquidationOption[];
}

/** A liquidation ready to sign: its messages and what it is expected to earn. */
export interface Plan {
  option: mars.LiquidationOption;
  msgs: EncodeObject[];
  /** Expected profit in uusd after swap costs (quotes with the slippage margin), before the fee. */
  expectedProfit: bigint;
}

/** What differs between the Red Bank and the credit-manager executor. */
export interface Strategy {
  readonly product: Product;
  /** The contract whose liquidation events tell whether someone else liquidated an account. */
  readonly contract: string;
  /** Event attribute that names the liquidated account in that contract's liquidation event. */
  readonly liquidatedAttribute: string;
  /** Prepares a signer on first use (the credit manager needs the signer's own credit account). */
  prepare(signer: Signer): Promise<void>;
  /** Re-reads the position now and sizes every liquidation of it with exact contract math. */
  assess(account: string, market: MarketState, sendCap: (denom: string) => bigint): Promise<Assessment>;
  /** Builds the transaction of one liquidation for `signer`. */
  plan(account: string, option: mars.LiquidationOption, market: MarketState, signer: Signer): Promise<Plan>;
  /** After the liquidation landed: turn the proceeds into the neutral asset; returns the events of the transactions it sent. */
  settle(plan: Plan, signer: Signer): Promise<TxEvent[][]>;
}
