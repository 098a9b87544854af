import { ContractError, response, type Response } from "../host.js";
import type { ActionCoin } from "./actions.js";
import { assetParams, nftOwner } from "./clients.js";
import { coinString } from "./common/rust-fmt.js";
import type { CmEnv, CmQueryEnv } from "./env.js";
import { cb } from "./callback-msgs.js";
import { COIN_BALANCES, coinBalance, decrementCoinBalance } from "./state.js";

/**
 * Withdrawals (spec §6.2): `withdraw`/`withdraw_to_wallet` bank-send coins of an account's
 * balance; `refund_all_coin_balances` withdraws every balance to the NFT owner.
 * [NTRN] coins whose params say `credit_manager.withdraw_enabled: false` cannot be withdrawn
 * (`Withdraw for "<denom>" not enabled`) and are skipped by the refund.
 */

/** Withdraw callback. */
export function withdraw(env: CmEnv, accountId: string, coin: ActionCoin, recipient: string): Response {
  if (env.neutron) assertWithdrawEnabled(env, coin.denom);
  const amount = coin.amount === "account_balance" ? coinBalance(env.store, accountId, coin.denom) : coin.amount;
  if (amount === 0n) throw new ContractError("No coin amount set for action");
  const c = { denom: coin.denom, amount };
  decrementCoinBalance(env.store, accountId, c);
  return response()
    .send(recipient, [{ denom: c.denom, amount: amount.toString() }])
    .attr("action", "callback/withdraw")
    .attr("account_id", accountId)
    .attr("coin_withdrawn", coinString(c));
}

/** Refund callback: one withdraw callback per coin balance, to the account's NFT owner. */
export function refundAllCoinBalances(env: CmEnv, accountId: string): Response {
  const coins = COIN_BALANCES.entries(env.store, [accountId]).map((e) => ({ denom: e.key[1]!, amount: BigInt(e.value) }));
  const owner = nftOwner(env, accountId);
  const res = response();
  const frozen: string[] = [];
  for (const c of coins) {
    if (env.neutron && !withdrawEnabled(env, c.denom)) {
      frozen.push(c.denom);
      continue;
    }
    res.execute(env.self, { callback: cb.withdraw(accountId, { denom: c.denom, amount: c.amount }, owner) });
  }
  res.attr("action", "callback/refund_coin_balances").attr("account_id", accountId);
  if (frozen.length) res.attr("frozen_coins", frozen.join(","));
  return res;
}

/** [NTRN] `assert_withdraw_enabled`. */
export function assertWithdrawEnabled(env: CmQueryEnv, denom: string): void {
  if (!withdrawEnabled(env, denom)) throw new ContractError(`Withdraw for ${JSON.stringify(denom)} not enabled`);
}

function withdrawEnabled(env: CmQueryEnv, denom: string): boolean {
  const p = assetParams(env, denom);
  return p === undefined || p.credit_manager.withdraw_enabled !== false;
}
