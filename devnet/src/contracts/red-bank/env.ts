import { queryAddresses, type MarsAddressType } from "../address-provider.js";
import { ContractError, type QueryContext } from "../host.js";
import { CONFIG } from "./state.js";

/**
 * The Red Bank's view of the other Mars contracts: every call resolves them through the address
 * provider of its `config` (`address_provider::helpers::query_contract_addrs`), as the real
 * contract does, so re-pointing an address in the provider takes effect at once. The devnet has
 * no incentives contract, so `incentives` is never asked for and no `balance_change` messages are sent.
 */
export function redBankAddresses<T extends MarsAddressType>(ctx: QueryContext, types: readonly T[]): Record<T, string> {
  const cfg = CONFIG.load(ctx.store);
  if (!cfg) throw new ContractError("mars_types::red_bank::types::Config<cosmwasm_std::addresses::Addr> not found");
  return queryAddresses(ctx, cfg.address_provider, types);
}
