import { ContractError, response, variant, type Response } from "../host.js";
import { reqString, reqUint } from "../mars-core/msg-fields.js";
import { coinOf } from "./common/coin.js";
import { actionCoinOf, type LiquidateRequest } from "./actions.js";
import type { HealthStateJson, HealthValuesJson } from "./clients.js";
import type { CmEnv } from "./env.js";
import { borrow, repay, repayForRecipient } from "./borrow-repay.js";
import { lend, reclaim } from "./lend.js";
import { refundAllCoinBalances, withdraw } from "./withdraw.js";
import { swapExactIn, updateCoinBalance } from "./swap.js";
import { liquidate } from "./liquidate.js";
import { assertDepositCaps, assertHlsRules, assertMaxLtv } from "./assertions.js";
import { REENTRANCY_GUARD } from "./state.js";

/**
 * The `callback` entry point (spec §6.2 execution model): routes the internal messages built by
 * {@link cb} to their handlers; only the credit manager itself may send them.
 */
const TYPE = "mars_types::credit_manager::CallbackMsg";

/** Runs a callback; only the credit manager itself may send one. */
export function handleCallback(env: CmEnv, msg: unknown): Response {
  if (env.sender !== env.self) throw new ContractError("Callbacks cannot be invoked externally");
  const [name, b] = variant(msg);
  const id = () => reqString(TYPE, b, "account_id");
  switch (name) {
    case "withdraw":
      return withdraw(env, id(), actionCoinOf(b["coin"]), reqString(TYPE, b, "recipient"));
    case "borrow":
      return borrow(env, id(), coinOf(TYPE, b["coin"]));
    case "repay":
      return repay(env, id(), actionCoinOf(b["coin"]));
    case "repay_for_recipient":
      return repayForRecipient(env, reqString(TYPE, b, "benefactor_account_id"), reqString(TYPE, b, "recipient_account_id"), actionCoinOf(b["coin"]));
    case "lend":
      return lend(env, id(), actionCoinOf(b["coin"]));
    case "reclaim":
      return reclaim(env, id(), actionCoinOf(b["coin"]));
    case "liquidate": {
      const [reqName, reqBody] = variant(b["request"]);
      const request: LiquidateRequest = { type: reqName === "lend" ? "lend" : "deposit", denom: String(reqBody["value"]) };
      const prev = (b["prev_health"] ?? undefined) as HealthValuesJson | undefined;
      return liquidate(env, reqString(TYPE, b, "liquidator_account_id"), reqString(TYPE, b, "liquidatee_account_id"), coinOf(TYPE, b["debt_coin"]), request, prev);
    }
    case "swap_exact_in":
      return swapExactIn(env, id(), actionCoinOf(b["coin_in"], "coin_in"), reqString(TYPE, b, "denom_out"), reqUint(TYPE, b, "min_receive"), b["route"] ?? null);
    case "update_coin_balance":
      return updateCoinBalance(env, id(), coinOf(TYPE, b["previous_balance"]));
    case "refund_all_coin_balances":
      return refundAllCoinBalances(env, id());
    case "assert_max_ltv":
      return assertMaxLtv(env, id(), b["prev_health_state"] as HealthStateJson);
    case "assert_deposit_caps":
      return assertDepositCaps(env, b["denoms"] as Record<string, string | null>);
    case "assert_hls_rules":
      return assertHlsRules(env, id());
    case "remove_reentrancy_guard":
      REENTRANCY_GUARD.save(env.store, "unlocked");
      return response().attr("action", "remove_reentrancy_guard");
    default:
      throw new ContractError(`Error parsing into type ${TYPE}: unknown variant \`${name}\``);
  }
}
