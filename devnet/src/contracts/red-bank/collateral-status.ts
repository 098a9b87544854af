import { ContractError, response, type ExecuteContext, type Response } from "../host.js";
import { reqBool, reqString, type Fields } from "../mars-core/msg-fields.js";
import { nonpayable } from "../mars-core/querier.js";
import { redBankAddresses } from "./env.js";
import { computeHealth, contractSources, isLiquidatable, userPositions } from "./health.js";
import { COLLS, userIdKey } from "./state.js";

const MSG = "mars_types::red_bank::msg::ExecuteMsg";

/**
 * `{"update_asset_collateral_status":{"denom","enable"}}` (spec §2.1,
 * `C:contracts/red-bank/src/collateral.rs`): flips `enabled` of the sender's collateral entry;
 * disabling must not leave the sender liquidatable (default prices). Disabled collateral is
 * invisible to health and cannot be seized (spec §2.4).
 */
export function updateAssetCollateralStatus(ctx: ExecuteContext, m: Fields): Response {
  nonpayable(ctx);
  const denom = reqString(MSG, m, "denom");
  const enable = reqBool(MSG, m, "enable");
  const key = userIdKey(ctx.sender, "");
  const collateral = COLLS.load(ctx.store, key, denom);
  if (!collateral) throw new ContractError(`User address "${ctx.sender}" has no balance in specified collateral asset "${denom}"`);
  const previouslyEnabled = collateral.enabled;
  COLLS.save(ctx.store, { amount_scaled: collateral.amount_scaled, enabled: enable }, key, denom);
  if (previouslyEnabled && !enable) {
    const { oracle, params } = redBankAddresses(ctx, ["oracle", "params"]);
    const positions = userPositions(ctx.store, ctx.sender, "", ctx.block.time, contractSources(ctx, oracle, params), false);
    if (isLiquidatable(computeHealth(positions.values()))) {
      throw new ContractError("User's health factor can't be less than 1 after disabling collateral");
    }
  }
  return response()
    .attr("action", "update_asset_collateral_status")
    .attr("user", ctx.sender)
    .attr("denom", denom)
    .attr("enable", String(enable));
}
