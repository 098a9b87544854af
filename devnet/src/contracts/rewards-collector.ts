import { queryAddresses } from "./address-provider.js";
import { Item } from "./../state/storage.js";
import { response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "./host.js";
import { optUint, reqString, unknownVariant } from "./mars-core/msg-fields.js";
import { currentOwner, initOwner, proposedOwner } from "./mars-core/owner.js";

/**
 * Model of the Mars rewards collector (spec §0 addresses; `C:contracts/rewards-collector`): in the
 * devnet it only holds what it receives. The Red Bank mints the reserve share of interest and the
 * liquidation protocol fee to it as Red Bank collateral (spec §2.3, §2.5 step 7), so its
 * `user_collateral` grows. Storage: Item `owner`, Item `config` (the real shape, fixed values).
 *
 * Constructor: `{ variant, owner, addressProvider }`.
 * Messages: `{"withdraw_from_red_bank":{"denom","amount"|null}}` (anyone, as on chain: pulls the
 * collector's Red Bank collateral into its bank balance). Query: `{"config":{}}`.
 */

/** Constructor options of {@link RewardsCollectorModel}. */
export interface RewardsCollectorOptions {
  variant: MarsVariant;
  owner: string;
  addressProvider: string;
}

/** The stored config (a subset of the real fields, with neutral values). */
interface RewardsConfig {
  address_provider: string;
  safety_tax_rate: string;
  revenue_share_tax_rate: string;
  safety_fund_config: { target_denom: string; transfer_type: "bank" | "ibc" };
  revenue_share_config: { target_denom: string; transfer_type: "bank" | "ibc" };
  fee_collector_config: { target_denom: string; transfer_type: "bank" | "ibc" };
  channel_id: string;
  timeout_seconds: number;
  whitelisted_distributors: string[];
}

const CONFIG = new Item<RewardsConfig>("config");
const MSG = "mars_types::rewards_collector::ExecuteMsg";

/** The rewards collector model. */
export class RewardsCollectorModel implements Contract {
  readonly contractName: string;
  readonly contractVersion: string;
  readonly #options: RewardsCollectorOptions;

  constructor(options: RewardsCollectorOptions) {
    this.contractName = options.variant === "osmosis" ? "crates.io:mars-rewards-collector-osmosis" : "crates.io:mars-rewards-collector-neutron";
    this.contractVersion = options.variant === "osmosis" ? "2.2.0" : "2.3.2";
    this.#options = options;
  }

  /** Writes `owner` and `config`. */
  instantiate(ctx: ExecuteContext): Response {
    initOwner(ctx.store, this.#options.owner);
    const target = { target_denom: "uusdc", transfer_type: "bank" as const };
    CONFIG.save(ctx.store, {
      address_provider: this.#options.addressProvider,
      safety_tax_rate: "0",
      revenue_share_tax_rate: "0",
      safety_fund_config: target,
      revenue_share_config: target,
      fee_collector_config: target,
      channel_id: "channel-0",
      timeout_seconds: 900,
      whitelisted_distributors: [],
    });
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, m] = variant(msg);
    if (name !== "withdraw_from_red_bank") throw unknownVariant(MSG, name, ["withdraw_from_red_bank"]);
    const denom = reqString(MSG, m, "denom");
    const amount = optUint(MSG, m, "amount");
    const cfg = CONFIG.load(ctx.store)!;
    const { red_bank } = queryAddresses(ctx, cfg.address_provider, ["red_bank"]);
    return response()
      .execute(red_bank, { withdraw: { denom, amount: amount === null ? null : amount.toString(), recipient: null, account_id: null, liquidation_related: null } })
      .attr("action", "withdraw_from_red_bank")
      .attr("denom", denom)
      .attr("amount", amount === null ? "all" : amount.toString());
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name] = variant(msg);
    if (name !== "config") throw unknownVariant("mars_types::rewards_collector::QueryMsg", name, ["config"]);
    const { address_provider, ...rest } = CONFIG.load(ctx.store)!;
    return { owner: currentOwner(ctx.store), proposed_new_owner: proposedOwner(ctx.store), address_provider, ...rest };
  }
}
