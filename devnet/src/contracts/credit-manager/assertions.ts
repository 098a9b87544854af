import { ContractError, response, type Response } from "../host.js";
import { dec } from "../../math/decimal.js";
import { debugCoin, debugString } from "./common/rust-fmt.js";
import { assetParams, healthState, totalDeposit, type HealthStateJson } from "./clients.js";
import type { CmEnv } from "./env.js";
import { queryPositions } from "./queries.js";

/**
 * The checks the credit manager appends after the action callbacks (spec §6.2 execution model):
 * `assert_max_ltv` (health before vs after), `assert_deposit_caps`, and for HLS accounts
 * `assert_hls_rules`.
 */

/** `Display` of a `HealthState` as the contract prints it (the missing ")" is the contract's). */
function healthStateString(s: HealthStateJson): string {
  return s === "healthy" ? "healthy" : `unhealthy (max_ltv_health_factor: ${debugString(s.unhealthy.max_ltv_health_factor)}`;
}

/**
 * `assert_max_ltv`: healthy after → ok; healthy → unhealthy → `AboveMaxLTV`; unhealthy →
 * unhealthy must not lower the max-LTV HF (`HealthNotImproved`; [NTRN] also not the liquidation
 * HF at an equal max-LTV HF).
 */
export function assertMaxLtv(env: CmEnv, accountId: string, prev: HealthStateJson): Response {
  const next = healthState(env, accountId, "default", env.neutron);
  if (next !== "healthy") {
    const nextMax = next.unhealthy.max_ltv_health_factor;
    if (prev === "healthy") {
      throw new ContractError(`Actions resulted in exceeding maximum allowed loan-to-value. Max LTV health factor: ${debugString(nextMax)}`);
    }
    const prevMax = prev.unhealthy.max_ltv_health_factor;
    if (dec(prevMax) > dec(nextMax)) {
      throw new ContractError(`Actions did not result in improved health factor: before: ${debugString(prevMax)}, after: ${debugString(nextMax)}`);
    }
    const prevLiq = prev.unhealthy.liquidation_health_factor;
    const nextLiq = next.unhealthy.liquidation_health_factor;
    if (env.neutron && prevLiq !== undefined && nextLiq !== undefined && dec(prevMax) === dec(nextMax) && dec(prevLiq) > dec(nextLiq)) {
      throw new ContractError(`Actions result in a lower liquidation health factor: before: ${debugString(prevLiq)}, after: ${debugString(nextLiq)}`);
    }
  }
  return response()
    .attr("action", "callback/assert_health")
    .attr("account_id", accountId)
    .attr("prev_health_state", healthStateString(prev))
    .attr("new_health_state", healthStateString(next));
}

/**
 * `assert_deposit_caps`: for each denom (in order), skip coins without params; a recorded
 * previous total (swap outputs) passes when the total did not grow; otherwise the params'
 * `total_deposit.amount` must not exceed its `cap`.
 */
export function assertDepositCaps(env: CmEnv, denoms: Record<string, string | null>): Response {
  const res = response().attr("action", "callback/assert_deposit_caps");
  for (const denom of Object.keys(denoms).sort()) {
    if (!assetParams(env, denom)) continue;
    const td = totalDeposit(env, denom);
    const deposited = denoms[denom];
    if (deposited !== null && deposited !== undefined && td.amount <= BigInt(deposited)) continue;
    if (td.amount > td.cap) {
      throw new ContractError(
        `Asset deposit would result in exceeding limit. With deposit: ${debugCoin({ denom: td.denom, amount: td.amount })}, maximum: ${td.cap}`,
      );
    }
    res.attr("denom", td.denom).attr("amount", td.amount).attr("cap", td.cap);
  }
  return res;
}

/** `assert_hls_rules`: at most one debt denom, with HLS params; lends must be correlated with it. */
export function assertHlsRules(env: CmEnv, accountId: string): Response {
  const positions = queryPositions(env, accountId, undefined);
  const debts = positions.debts;
  if (debts.length > 1) throw new ContractError(debugString("Account has more than one debt denom"));
  const debt = debts[0];
  if (debt) {
    const p = assetParams(env, debt.denom);
    if (!p) throw new ContractError(`${debt.denom} asset params not found`);
    const hls = p.credit_manager.hls;
    if (!hls) throw new ContractError(debugString(`${debt.denom} does not have HLS parameters`));
    const correlated = new Set(hls.correlations.map((c) => (c as { coin?: { denom?: string } }).coin?.denom).filter((d): d is string => !!d));
    for (const lend of positions.lends) {
      if (!correlated.has(lend.denom)) throw new ContractError(debugString(`${lend.denom} lend is not a correlated asset to debt ${debt.denom}`));
    }
  }
  return response().attr("action", "callback/assert_hls_rules").attr("account_id", accountId).attr("account_kind", "HighLeveredStrategy");
}
