import { ContractError, response, type Response } from "../host.js";
import { oneCoin } from "../mars-core/querier.js";
import { ceilDiv, min } from "../../math/decimal.js";
import type { BigCoin } from "./common/coin.js";
import { checkedSub, coinString } from "./common/rust-fmt.js";
import type { ActionCoin } from "./actions.js";
import { assetParams, fundsOf, redBankDebt, redBankMsg } from "./clients.js";
import type { CmEnv, CmQueryEnv } from "./env.js";
import { cb } from "./callback-msgs.js";
import {
  DEBT_SHARES,
  RED_BANK,
  TOTAL_DEBT_SHARES,
  coinBalance,
  debtShares,
  decrementCoinBalance,
  incrementCoinBalance,
  load,
  totalDebtShares,
} from "./state.js";

/**
 * Debt shares over the credit manager's single uncollateralized Red Bank debt per denom
 * (spec §6.2 borrow/repay, §6.3 debt amount): borrowing adds `1_000_000·amount` shares when the
 * CM's Red Bank debt is zero, else `floor(total_shares·amount/total_debt)`; an account's debt is
 * `ceil(total_debt·shares/total_shares)`; repaying removes `floor(total_shares·amount/total_debt)`.
 */
export const DEFAULT_DEBT_SHARES_PER_COIN_BORROWED = 1_000_000n;

/** `checked_multiply_ratio`: floor(a·b/c). */
function multiplyRatio(a: bigint, b: bigint, c: bigint): bigint {
  if (c === 0n) throw new ContractError("Denominator must not be zero");
  return (a * b) / c;
}

/** An account's debt amount from its shares: `ceil(CM_RB_debt · shares / total_shares)`. */
export function debtSharesToAmount(env: CmQueryEnv, denom: string, shares: bigint): bigint {
  const total = totalDebtShares(env.store, denom);
  const totalDebt = redBankDebt(env, denom);
  if (total === 0n) throw new ContractError("Denominator must not be zero");
  return ceilDiv(totalDebt * shares, total);
}

/** `current_debt_for_denom` → (amount, shares); `NoDebt` without a debt entry. */
export function currentDebtForDenom(env: CmQueryEnv, accountId: string, denom: string): { amount: bigint; shares: bigint } {
  const shares = debtShares(env.store, accountId, denom);
  if (shares === undefined) throw new ContractError("No debt to repay");
  return { amount: debtSharesToAmount(env, denom, shares), shares };
}

/** Borrow callback: whitelist check, shares, coin balance, Red Bank `borrow`. */
export function borrow(env: CmEnv, accountId: string, coin: BigCoin): Response {
  if (coin.amount === 0n) throw new ContractError("No coin amount set for action");
  assertWhitelisted(env, coin.denom);
  const totalDebt = redBankDebt(env, coin.denom);
  const toAdd = totalDebt === 0n ? coin.amount * DEFAULT_DEBT_SHARES_PER_COIN_BORROWED : multiplyRatio(totalDebtShares(env.store, coin.denom), coin.amount, totalDebt);
  if (toAdd === 0n) throw new ContractError("Debt cannot be represented by zero debt shares");
  TOTAL_DEBT_SHARES.save(env.store, (totalDebtShares(env.store, coin.denom) + toAdd).toString(), coin.denom);
  DEBT_SHARES.save(env.store, ((debtShares(env.store, accountId, coin.denom) ?? 0n) + toAdd).toString(), accountId, coin.denom);
  incrementCoinBalance(env.store, accountId, coin);
  return response()
    .execute(load(env.store, RED_BANK).addr, redBankMsg.borrow(coin))
    .attr("action", "borrow")
    .attr("account_id", accountId)
    .attr("debt_shares_added", toAdd)
    .attr("coin_borrowed", coinString(coin));
}

/** `assert_coin_is_whitelisted`: params must exist with `credit_manager.whitelisted`. */
export function assertWhitelisted(env: CmQueryEnv, denom: string): void {
  let ok = false;
  try {
    ok = assetParams(env, denom)?.credit_manager.whitelisted === true;
  } catch (err) {
    if (!(err instanceof ContractError)) throw err;
  }
  if (!ok) throw new ContractError(`${denom} is not whitelisted`);
}

/** Repay callback: `min(debt, exact | balance)` from the account's balance to the Red Bank. */
export function repay(env: CmEnv, accountId: string, coin: ActionCoin): Response {
  const debt = currentDebtForDenom(env, accountId, coin.denom);
  const balance = coinBalance(env.store, accountId, coin.denom);
  const amount = min(debt.amount, coin.amount === "account_balance" ? balance : coin.amount);
  const toRepay = { denom: coin.denom, amount };
  const totalDebt = redBankDebt(env, coin.denom);
  const total = totalDebtShares(env.store, coin.denom);
  const sharesToRepay = multiplyRatio(total, amount, totalDebt);
  if (amount === debt.amount) DEBT_SHARES.remove(env.store, accountId, coin.denom);
  else DEBT_SHARES.save(env.store, checkedSub(debt.shares, sharesToRepay).toString(), accountId, coin.denom);
  TOTAL_DEBT_SHARES.save(env.store, checkedSub(total, sharesToRepay).toString(), coin.denom);
  decrementCoinBalance(env.store, accountId, toRepay);
  return response()
    .execute(load(env.store, RED_BANK).addr, redBankMsg.repay(), fundsOf(toRepay))
    .attr("action", "repay")
    .attr("account_id", accountId)
    .attr("debt_shares_repaid", sharesToRepay)
    .attr("coin_repaid", coinString(toRepay));
}

/** `repay` with `recipient_account_id`: moves the benefactor's coins and repays the recipient's debt. */
export function repayForRecipient(env: CmEnv, benefactor: string, recipient: string, coin: ActionCoin): Response {
  const debt = currentDebtForDenom(env, recipient, coin.denom);
  const balance = coinBalance(env.store, benefactor, coin.denom);
  const toRepay = { denom: coin.denom, amount: min(debt.amount, coin.amount === "account_balance" ? balance : coin.amount) };
  decrementCoinBalance(env.store, benefactor, toRepay);
  incrementCoinBalance(env.store, recipient, toRepay);
  return response()
    .execute(env.self, { callback: cb.repay(recipient, { denom: toRepay.denom, amount: toRepay.amount }) })
    .attr("action", "repay_for_recipient")
    .attr("benefactor_account_id", benefactor)
    .attr("recipient_account_id", recipient)
    .attr("coin_repaid", coinString(toRepay));
}

/** `repay_from_wallet {account_id}` with exactly one coin; the excess over the debt is refunded. */
export function repayFromWallet(env: CmEnv, accountId: string): Response {
  const sent = oneCoin(env);
  const debt = currentDebtForDenom(env, accountId, sent.denom);
  const toRepay = { denom: sent.denom, amount: min(debt.amount, sent.amount) };
  incrementCoinBalance(env.store, accountId, toRepay);
  const refund = sent.amount - toRepay.amount;
  const res = response()
    .execute(env.self, { callback: cb.repay(accountId, { denom: toRepay.denom, amount: toRepay.amount }) })
    .attr("action", "repay_from_wallet")
    .attr("from_address", env.sender)
    .attr("account_id", accountId)
    .attr("coin_repaid", coinString(toRepay))
    .attr("refunded", refund);
  if (refund > 0n) res.send(env.sender, [{ denom: sent.denom, amount: refund.toString() }]);
  return res;
}
