import type { Logger } from "pino";
import type { World } from "../state/world.js";
import type { AccountKeeper } from "./accounts.js";

/** What the ante handler and the message handlers need from the chain. */
export interface ExecContext {
  world: World;
  accounts: AccountKeeper;
  chainId: string;
  prefix: string;
  /** The denom fees are paid in. */
  gasDenom: string;
  /** Minimum gas price as 18-decimal atomics (CheckTx rejects fees below ceil(gasLimit × price)). */
  minGasPrice: bigint;
  /** Where fees go (the `fee_collector` module account). */
  feeCollector: string;
  logger: Logger;
}

/** What CheckTx knows beyond committed state: the mempool's pending sequences and fees. */
export interface PendingView {
  /** The next sequence expected from `address` given its txs already in the mempool, if any. */
  sequence(address: string): number | undefined;
  /** Fees in `denom` that `address`'s mempool txs will pay. */
  fee(address: string, denom: string): bigint;
}
