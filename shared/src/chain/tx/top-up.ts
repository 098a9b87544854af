import type { StdFee } from "@cosmjs/amino";
import { TxRejectedError } from "./errors.js";
import { bankSendMsg } from "./messages.js";
import { queryBalance } from "./queries.js";
import type { TxSender, WaitForTxOptions } from "./sender.js";

/** Options of {@link topUpWorkers}; amounts in base units of `denom`. */
export interface TopUpOptions {
  /** The gas denom (`uosmo`, `untrn`). */
  denom: string;
  /** A worker holding less than this is topped up. */
  minBalance: bigint;
  /** What each such worker receives. */
  amount: bigint;
  /** How long to wait for the top-up's inclusion (default: `waitForTx`'s). */
  wait?: WaitForTxOptions;
}

/** What {@link topUpWorkers} did. */
export interface TopUpResult {
  /** The workers paid and what each received (empty: everyone had enough, nothing was sent). */
  sent: { address: string; amount: bigint }[];
  /** The top-up transaction, when one was sent. */
  tx?: { hash: string; height: number; fee: StdFee };
}

/**
 * Keeps the signers able to pay gas: reads each worker's `denom` balance and sends `amount` to
 * every one below `minBalance`, all in one transaction (one MsgSend per worker) from `master`,
 * then waits for its inclusion. Throws {@link TxRejectedError} when the transaction failed in the
 * block, and the sender's errors otherwise.
 */
export async function topUpWorkers(master: TxSender, workers: readonly string[], o: TopUpOptions): Promise<TopUpResult> {
  const unique = [...new Set(workers)];
  const balances = await Promise.all(unique.map((address) => queryBalance(master.client, address, o.denom)));
  const sent = unique.filter((_, i) => balances[i]! < o.minBalance).map((address) => ({ address, amount: o.amount }));
  if (sent.length === 0 || o.amount <= 0n) return { sent: [] };
  const coins = [{ denom: o.denom, amount: o.amount.toString() }];
  const { hash, fee } = await master.broadcast(sent.map((s) => bankSendMsg(master.address, s.address, coins)));
  const included = await master.waitForTx(hash, o.wait);
  if (included.code !== 0) {
    throw new TxRejectedError({ stage: "deliver", signer: master.address, txHash: hash, abciCode: included.code, codespace: included.codespace, log: included.rawLog });
  }
  return { sent, tx: { hash, height: included.height, fee } };
}
