import { ContractError, response, type Response } from "../host.js";
import { min } from "../../math/decimal.js";
import type { ActionCoin } from "./actions.js";
import { fundsOf, lentAmount, redBankMsg } from "./clients.js";
import type { CmEnv } from "./env.js";
import { assertWhitelisted } from "./borrow-repay.js";
import { RED_BANK, coinBalance, decrementCoinBalance, incrementCoinBalance, load } from "./state.js";

/**
 * Lend and reclaim (spec §6.1–6.2): a lend is a Red Bank deposit with `account_id` (stored under
 * `UserIdKey{addr: CM, acc_id}`), a reclaim a Red Bank withdraw with `account_id`.
 */

/** Lend callback: whitelisted coins only; a zero amount is a no-op (no error), as on chain. */
export function lend(env: CmEnv, accountId: string, coin: ActionCoin): Response {
  assertWhitelisted(env, coin.denom);
  const amount = coin.amount === "account_balance" ? coinBalance(env.store, accountId, coin.denom) : coin.amount;
  const res = response();
  if (amount > 0n) {
    const c = { denom: coin.denom, amount };
    decrementCoinBalance(env.store, accountId, c);
    res.execute(load(env.store, RED_BANK).addr, redBankMsg.lend(accountId), fundsOf(c));
  }
  return res.attr("action", "lend").attr("account_id", accountId).attr("coin_lent", coin.denom);
}

/** Reclaim callback: `min(lent, exact)` (all when `account_balance`); `NoneLent` when nothing. */
export function reclaim(env: CmEnv, accountId: string, coin: ActionCoin): Response {
  const lent = lentAmount(env, accountId, coin.denom);
  const amount = coin.amount === "account_balance" ? lent : min(lent, coin.amount);
  if (amount === 0n) throw new ContractError("Nothing lent to reclaim");
  const c = { denom: coin.denom, amount };
  incrementCoinBalance(env.store, accountId, c);
  return response()
    .execute(load(env.store, RED_BANK).addr, redBankMsg.reclaim(c, accountId, false))
    .attr("action", "reclaim")
    .attr("account_id", accountId)
    .attr("coin_reclaimed", `${amount}${coin.denom}`);
}
