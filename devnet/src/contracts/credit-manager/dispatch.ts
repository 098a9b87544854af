import { ContractError, response, type Coin, type Response, type ResponseBuilder } from "../host.js";
import { optString, parseError, type Fields } from "../mars-core/msg-fields.js";
import type { BigCoin } from "./common/coin.js";
import { coinsString, debugString, debugUint } from "./common/rust-fmt.js";
import { parseAction, type Action } from "./actions.js";
import { assetParams, healthState, nftNextId, nftOwner, totalDeposit, type HealthValuesJson } from "./clients.js";
import type { CmEnv } from "./env.js";
import { cb } from "./callback-msgs.js";
import { assertNotSelfLiquidation, checkLiquidatable } from "./liquidate.js";
import { ACCOUNT_KINDS, ACCOUNT_NFT, REENTRANCY_GUARD, accountKind, incrementCoinBalance, load, type AccountKind } from "./state.js";

/**
 * `create_credit_account` and `update_credit_account` (spec §6.2): deposits are applied inline
 * (funds must match exactly), every other action becomes a callback run in order after this
 * call, followed by `assert_max_ltv` (unless all actions are deposits / plain repays),
 * `assert_hls_rules` for HLS accounts, `assert_deposit_caps` and the reentrancy-guard release.
 */
const TYPE = "mars_types::credit_manager::ExecuteMsg";

/** Parses an `AccountKind`; only `default` and `high_levered_strategy` are modelled. */
export function parseAccountKind(v: unknown): AccountKind {
  if (v === "default" || v === "high_levered_strategy") return v;
  if (v === "usdc_margin" || (v && typeof v === "object" && "fund_manager" in v)) {
    throw new ContractError("devnet credit manager: fund_manager and usdc_margin accounts are not modelled");
  }
  throw parseError(TYPE, `unknown AccountKind ${JSON.stringify(v)}`);
}

/** Mints the next account NFT to `user` and records its kind; returns the new id. */
export function createCreditAccount(env: CmEnv, user: string, kind: AccountKind, res: ResponseBuilder): string {
  const id = nftNextId(env);
  res.execute(load(env.store, ACCOUNT_NFT), { mint: { user } });
  ACCOUNT_KINDS.save(env.store, kind, id);
  res.attr("action", "create_credit_account").attr("kind", kind === "default" ? "Default" : "HighLeveredStrategy");
  return id;
}

/** `update_credit_account {account_id, account_kind, actions}`. */
export function dispatchActions(env: CmEnv, body: Fields): Response {
  const rawActions = body["actions"];
  if (!Array.isArray(rawActions)) throw parseError(TYPE, "missing field `actions`");
  const actions = rawActions.map(parseAction);
  const res = response();
  let accountId = optString(TYPE, body, "account_id");
  if (accountId !== null) {
    const owner = nftOwner(env, accountId);
    if (owner !== env.sender) throw new ContractError(`${debugString(env.sender)} is not the owner of ${debugString(accountId)}`);
  } else {
    const kind = body["account_kind"] === undefined || body["account_kind"] === null ? "default" : parseAccountKind(body["account_kind"]);
    accountId = createCreditAccount(env, env.sender, kind, res);
  }
  if (REENTRANCY_GUARD.load(env.store) === "locked") throw new ContractError("Guard is active");
  REENTRANCY_GUARD.save(env.store, "locked");

  const received = fundsMap(env.funds);
  const noHealthCheck = actions.every((a) => a.kind === "deposit" || (a.kind === "repay" && a.recipientAccountId === undefined));
  const prevHealth = noHealthCheck ? undefined : healthState(env, accountId, "default", env.neutron);
  const capDenoms = new Map<string, bigint | null>();
  const callbacks: Record<string, unknown>[] = [];
  for (const action of actions) {
    if (action.kind === "deposit") {
      deposit(env, res, accountId, action.coin, received);
      capDenoms.set(action.coin.denom, null);
      continue;
    }
    callbacks.push(toCallback(env, accountId, action));
    if (action.kind === "swap_exact_in") recordSwapOutput(env, capDenoms, action.denomOut, received);
  }
  if (received.size > 0) {
    throw new ContractError(`Extra funds received: ${coinsString([...received].map(([denom, amount]) => ({ denom, amount })))}`);
  }
  if (accountKind(env.store, accountId) === "high_levered_strategy") callbacks.push(cb.assertHlsRules(accountId));
  if (prevHealth !== undefined) callbacks.push(cb.assertMaxLtv(accountId, prevHealth));
  callbacks.push(cb.assertDepositCaps(capDenoms), cb.removeReentrancyGuard());
  for (const c of callbacks) res.execute(env.self, { callback: c });
  return res.attr("action", "rover/execute/update_credit_account").attr("account_id", accountId);
}

function toCallback(env: CmEnv, accountId: string, a: Exclude<Action, { kind: "deposit" }>): Record<string, unknown> {
  switch (a.kind) {
    case "withdraw":
      return cb.withdraw(accountId, a.coin, env.sender);
    case "withdraw_to_wallet":
      return cb.withdraw(accountId, a.coin, a.recipient);
    case "borrow":
      return cb.borrow(accountId, a.coin);
    case "repay":
      return a.recipientAccountId === undefined ? cb.repay(accountId, a.coin) : cb.repayForRecipient(accountId, a.recipientAccountId, a.coin);
    case "lend":
      return cb.lend(accountId, a.coin);
    case "reclaim":
      return cb.reclaim(accountId, a.coin);
    case "liquidate": {
      let prev: HealthValuesJson | undefined;
      if (env.neutron) {
        // [NTRN] the liquidatee's health is taken at dispatch and drives the math.
        assertNotSelfLiquidation(accountId, a.liquidateeAccountId);
        prev = checkLiquidatable(env, a.liquidateeAccountId);
      }
      return cb.liquidate(accountId, a.liquidateeAccountId, a.debtCoin, a.requestJson, prev);
    }
    case "swap_exact_in":
      return cb.swapExactIn(accountId, a.coinIn, a.denomOut, a.minReceive, a.route);
    case "refund_all_coin_balances":
      return cb.refundAll(accountId);
  }
}

/** Inline deposit: the attached funds must hold exactly `coin.amount` of the denom. */
function deposit(env: CmEnv, res: ResponseBuilder, accountId: string, coin: BigCoin, received: Map<string, bigint>): void {
  if (coin.amount === 0n) return;
  const got = received.get(coin.denom) ?? 0n;
  if (got !== coin.amount) throw new ContractError(`Sent fund mismatch. Expected: ${debugUint(coin.amount)}, received ${debugUint(got)}`);
  received.delete(coin.denom);
  incrementCoinBalance(env.store, accountId, coin);
  res.attr("action", "callback/deposit").attr("coin_deposited", `${coin.amount}${coin.denom}`);
}

/** `update_or_reset_denom_deposits` for a swap output: remember the total deposit before the tx. */
function recordSwapOutput(env: CmEnv, capDenoms: Map<string, bigint | null>, denom: string, received: Map<string, bigint>): void {
  if (capDenoms.has(denom) || !assetParams(env, denom)) return;
  const total = totalDeposit(env, denom).amount;
  const sent = received.get(denom) ?? 0n;
  capDenoms.set(denom, total > sent ? total - sent : 0n);
}

/** cosmwasm `Coins::try_from(funds)`: zero amounts dropped, one entry per denom. */
function fundsMap(funds: readonly Coin[]): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const c of funds) {
    const a = BigInt(c.amount);
    if (a === 0n) continue;
    if (m.has(c.denom)) throw new ContractError(`Duplicate denom: ${c.denom}`);
    m.set(c.denom, a);
  }
  return m;
}
