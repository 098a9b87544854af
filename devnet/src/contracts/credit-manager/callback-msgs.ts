import { coinJson, type BigCoin } from "./common/coin.js";
import { actionCoinJson, type ActionCoin } from "./actions.js";
import type { HealthStateJson, HealthValuesJson } from "./clients.js";

/**
 * Internal `callback` messages (spec §6.2 execution model): every non-deposit action becomes a
 * `{"callback":{...}}` message from the credit manager to itself, run in order after dispatch.
 * The bodies have the JSON shape of `mars_types::credit_manager::CallbackMsg`; send them with
 * `response().execute(self, { callback: cb.x(...) })`.
 */
export const cb = {
  withdraw: (accountId: string, coin: ActionCoin, recipient: string) => ({ withdraw: { account_id: accountId, coin: actionCoinJson(coin), recipient } }),
  borrow: (accountId: string, coin: BigCoin) => ({ borrow: { account_id: accountId, coin: coinJson(coin) } }),
  repay: (accountId: string, coin: ActionCoin) => ({ repay: { account_id: accountId, coin: actionCoinJson(coin) } }),
  repayForRecipient: (benefactor: string, recipient: string, coin: ActionCoin) => ({
    repay_for_recipient: { benefactor_account_id: benefactor, recipient_account_id: recipient, coin: actionCoinJson(coin) },
  }),
  lend: (accountId: string, coin: ActionCoin) => ({ lend: { account_id: accountId, coin: actionCoinJson(coin) } }),
  reclaim: (accountId: string, coin: ActionCoin) => ({ reclaim: { account_id: accountId, coin: actionCoinJson(coin) } }),
  liquidate: (liquidator: string, liquidatee: string, debtCoin: BigCoin, request: unknown, prevHealth?: HealthValuesJson) => ({
    liquidate: {
      liquidator_account_id: liquidator,
      liquidatee_account_id: liquidatee,
      debt_coin: coinJson(debtCoin),
      request,
      ...(prevHealth ? { prev_health: prevHealth } : {}),
    },
  }),
  swapExactIn: (accountId: string, coinIn: ActionCoin, denomOut: string, minReceive: bigint, route: unknown) => ({
    swap_exact_in: { account_id: accountId, coin_in: actionCoinJson(coinIn), denom_out: denomOut, min_receive: minReceive.toString(), route },
  }),
  updateCoinBalance: (accountId: string, previous: BigCoin) => ({
    update_coin_balance: { account_id: accountId, previous_balance: coinJson(previous), change: "increase" },
  }),
  refundAll: (accountId: string) => ({ refund_all_coin_balances: { account_id: accountId } }),
  assertMaxLtv: (accountId: string, prev: HealthStateJson) => ({ assert_max_ltv: { account_id: accountId, prev_health_state: prev } }),
  assertDepositCaps: (denoms: Map<string, bigint | null>) => ({
    assert_deposit_caps: { denoms: Object.fromEntries([...denoms].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, v]) => [d, v === null ? null : v.toString()])) },
  }),
  assertHlsRules: (accountId: string) => ({ assert_hls_rules: { account_id: accountId } }),
  removeReentrancyGuard: () => ({ remove_reentrancy_guard: {} }),
};

