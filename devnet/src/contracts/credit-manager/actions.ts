import { ContractError, variant } from "../host.js";
import { optString, parseError, reqString, reqUint, toUint, type Fields } from "../mars-core/msg-fields.js";
import { coinOf, type BigCoin } from "./common/coin.js";

/**
 * The credit manager's `Action` catalogue (spec §6.2) parsed from JSON, and `ActionCoin`
 * conversions. Amounts are bigint; `"account_balance"` stays a marker.
 */
const TYPE = "mars_types::credit_manager::Action";

/** `ActionAmount`: an exact amount or the whole account balance. */
export type ActionAmount = bigint | "account_balance";

/** `ActionCoin`. */
export interface ActionCoin {
  denom: string;
  amount: ActionAmount;
}

/** A liquidation request the model supports (`deposit` and `lend`; vaults/staked LPs are not modelled). */
export interface LiquidateRequest {
  type: "deposit" | "lend";
  denom: string;
}

/** One parsed action. */
export type Action =
  | { kind: "deposit"; coin: BigCoin }
  | { kind: "withdraw"; coin: ActionCoin }
  | { kind: "withdraw_to_wallet"; coin: ActionCoin; recipient: string }
  | { kind: "borrow"; coin: BigCoin }
  | { kind: "repay"; recipientAccountId: string | undefined; coin: ActionCoin }
  | { kind: "lend"; coin: ActionCoin }
  | { kind: "reclaim"; coin: ActionCoin }
  | { kind: "liquidate"; liquidateeAccountId: string; debtCoin: BigCoin; request: LiquidateRequest; requestJson: unknown }
  | { kind: "swap_exact_in"; coinIn: ActionCoin; denomOut: string; minReceive: bigint; route: unknown }
  | { kind: "refund_all_coin_balances" };

/** Parses `ActionCoin` JSON (`{"denom","amount":{"exact":"1"}|"account_balance"}`). */
export function actionCoinOf(v: unknown, field = "coin"): ActionCoin {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw parseError(TYPE, `invalid type for \`${field}\`: expected an ActionCoin`);
  const o = v as Fields;
  const denom = reqString(TYPE, o, "denom");
  const a = o["amount"];
  if (a === "account_balance") return { denom, amount: "account_balance" };
  if (a && typeof a === "object" && !Array.isArray(a) && "exact" in a) return { denom, amount: toUint(TYPE, String((a as Fields)["exact"])) };
  throw parseError(TYPE, `invalid ActionAmount for \`${field}\`: expected {"exact":".."} or "account_balance"`);
}

/** `ActionCoin` back to JSON. */
export function actionCoinJson(c: ActionCoin): { denom: string; amount: unknown } {
  return { denom: c.denom, amount: c.amount === "account_balance" ? "account_balance" : { exact: c.amount.toString() } };
}

/** Parses one action. */
export function parseAction(msg: unknown): Action {
  const [name, body] = variant(msg);
  switch (name) {
    case "deposit":
      return { kind: "deposit", coin: coinOf(TYPE, body) };
    case "withdraw":
      return { kind: "withdraw", coin: actionCoinOf(body, "withdraw") };
    case "withdraw_to_wallet":
      return { kind: "withdraw_to_wallet", coin: actionCoinOf(body["coin"]), recipient: reqString(TYPE, body, "recipient") };
    case "borrow":
      return { kind: "borrow", coin: coinOf(TYPE, body) };
    case "repay":
      return { kind: "repay", recipientAccountId: optString(TYPE, body, "recipient_account_id") ?? undefined, coin: actionCoinOf(body["coin"]) };
    case "lend":
      return { kind: "lend", coin: actionCoinOf(body, "lend") };
    case "reclaim":
      return { kind: "reclaim", coin: actionCoinOf(body, "reclaim") };
    case "liquidate": {
      const requestJson = body["request"];
      const [reqName, reqBody] = variant(requestJson);
      if (reqName !== "deposit" && reqName !== "lend") {
        throw new ContractError(`devnet credit manager: liquidation request \`${reqName}\` is not modelled (deposit and lend are)`);
      }
      const denom = reqBody["value"];
      if (typeof denom !== "string") throw parseError(TYPE, "invalid liquidation request: expected a denom");
      return {
        kind: "liquidate",
        liquidateeAccountId: reqString(TYPE, body, "liquidatee_account_id"),
        debtCoin: coinOf(TYPE, body["debt_coin"]),
        request: { type: reqName, denom },
        requestJson,
      };
    }
    case "swap_exact_in":
      return {
        kind: "swap_exact_in",
        coinIn: actionCoinOf(body["coin_in"], "coin_in"),
        denomOut: reqString(TYPE, body, "denom_out"),
        minReceive: reqUint(TYPE, body, "min_receive"),
        route: body["route"] ?? null,
      };
    case "refund_all_coin_balances":
      return { kind: "refund_all_coin_balances" };
    default:
      throw new ContractError(`devnet credit manager: action \`${name}\` is not modelled (vaults, LPs, staking and perps are out of scope)`);
  }
}
