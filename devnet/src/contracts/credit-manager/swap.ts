import { ContractError, response, type Response } from "../host.js";
import { dec, decStr, mulFloor } from "../../math/decimal.js";
import type { ActionCoin } from "./actions.js";
import { coinJson, type BigCoin } from "./common/coin.js";
import { coinString, debugString, debugUint } from "./common/rust-fmt.js";
import type { CmEnv } from "./env.js";
import { cb } from "./callback-msgs.js";
import { assertWithdrawEnabled } from "./withdraw.js";
import { REWARDS_COLLECTOR, SWAPPER, SWAP_FEE, coinBalance, decrementCoinBalance, incrementCoinBalance, load } from "./state.js";

/**
 * `swap_exact_in` (spec §6.2): takes the amount (or the whole balance) from the account, credits
 * the CM swap fee `floor(amount·swap_fee)` to the rewards-collector account, sends the rest to the
 * swapper with `min_receive` and the route, then an `update_coin_balance` callback credits the
 * account with the credit manager's actual bank-balance increase of `denom_out`.
 * [NTRN] the coin must be withdraw-enabled; the fee-tier discount is 0 here (no staking tiers).
 */
export function swapExactIn(env: CmEnv, accountId: string, coinIn: ActionCoin, denomOut: string, minReceive: bigint, route: unknown): Response {
  if (env.neutron) assertWithdrawEnabled(env, coinIn.denom);
  const amount = coinIn.amount === "account_balance" ? coinBalance(env.store, accountId, coinIn.denom) : coinIn.amount;
  if (amount === 0n) throw new ContractError("No coin amount set for action");
  decrementCoinBalance(env.store, accountId, { denom: coinIn.denom, amount });
  const swapFee = dec(load(env.store, SWAP_FEE));
  const fee = mulFloor(amount, swapFee);
  const toTrade = { denom: coinIn.denom, amount: amount - fee };
  const feeCoin = { denom: coinIn.denom, amount: fee };
  const rcAccount = load(env.store, REWARDS_COLLECTOR).account_id;
  incrementCoinBalance(env.store, rcAccount, feeCoin);
  const previous = { denom: denomOut, amount: env.balance(env.self, denomOut) };
  const res = response()
    .execute(
      load(env.store, SWAPPER),
      { swap_exact_in: { coin_in: coinJson(toTrade), denom_out: denomOut, min_receive: minReceive.toString(), route } },
      [coinJson(toTrade)],
    )
    .execute(env.self, { callback: cb.updateCoinBalance(accountId, previous) })
    .attr("action", "swapper")
    .attr("account_id", accountId)
    .attr("coin_in", coinString(toTrade))
    .attr("denom_out", denomOut);
  if (env.neutron) {
    res
      .attr("rewards_collector", rcAccount)
      .attr("rewards_collector_fee", coinString(feeCoin))
      .attr("discount_pct", "0")
      .attr("base_swap_fee", decStr(swapFee))
      .attr("effective_swap_fee", decStr(swapFee));
  }
  return res;
}

/** `update_coin_balance` callback (`change: increase`): credits the CM's balance increase since `previous`. */
export function updateCoinBalance(env: CmEnv, accountId: string, previous: BigCoin): Response {
  const current = env.balance(env.self, previous.denom);
  if (current <= previous.amount) {
    throw new ContractError(
      `${debugString(previous.denom)} balance change was unexpected. Prev: ${debugUint(previous.amount)}, Curr: ${debugUint(current)}.`,
    );
  }
  const coin = { denom: previous.denom, amount: current - previous.amount };
  incrementCoinBalance(env.store, accountId, coin);
  return response()
    .attr("action", "update_coin_balance")
    .attr("account_id", accountId)
    .attr("coin", coinString(coin))
    .attr("change", "increase");
}
