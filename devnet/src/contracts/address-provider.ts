import { Item, JsonMap, text } from "../state/storage.js";
import { ContractError, response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "./host.js";
import { optString, optU32, parseError, reqString, unknownVariant, type Fields } from "./mars-core/msg-fields.js";
import { assertOwner, currentOwner, initOwner, proposedOwner } from "./mars-core/owner.js";
import { pageLimit, rangeAfter } from "./mars-core/pagination.js";
import { chainPrefix, queryContract } from "./mars-core/querier.js";

/**
 * Model of `mars-address-provider` (spec §0): the registry every Mars contract asks for the
 * addresses of the others. Storage as the real contract: Item `config` `{"prefix":".."}`, Item
 * `owner`, Map `addresses` (address type name → JSON string address).
 *
 * Constructor: `{ variant, owner }`; the bech32 prefix is the chain's (read from the contract's
 * own address at instantiation). Owner message: `{"set_address":{"address_type":"red_bank","address":".."}}`.
 * Queries: `{"address":"red_bank"}`, `{"addresses":["oracle","params"]}`, `{"all_addresses":{..}}`, `{"config":{}}`.
 */

/** Address type names of both deployments (spec §0, `C:`/`CC:packages/types/src/address_provider.rs`). */
export const MARS_ADDRESS_TYPES = [
  "incentives", "oracle", "red_bank", "rewards_collector", "params", "credit_manager", "protocol_admin",
  "fee_collector", "safety_fund", "swapper", "duality_swapper", "astroport_incentives", "perps", "health",
  "revenue_share", "governance",
] as const;
export type MarsAddressType = (typeof MARS_ADDRESS_TYPES)[number];

/** `{"address_type":"red_bank","address":".."}`. */
export interface AddressResponseItem {
  address_type: MarsAddressType;
  address: string;
}

/** Constructor options of {@link AddressProviderModel}. */
export interface AddressProviderOptions {
  variant: MarsVariant;
  /** Owner allowed to `set_address`. */
  owner: string;
}

const CONFIG = new Item<{ prefix: string }>("config");
const ADDRESSES = new JsonMap<string>("addresses", 1);
const MSG = "mars_types::address_provider::ExecuteMsg";
const QUERY = "mars_types::address_provider::QueryMsg";
const TYPE = "mars_types::address_provider::MarsAddressType";

/** The address provider model (spec §0). */
export class AddressProviderModel implements Contract {
  readonly contractName = "crates.io:mars-address-provider";
  readonly contractVersion: string;
  readonly #owner: string;

  constructor(options: AddressProviderOptions) {
    this.contractVersion = options.variant === "osmosis" ? "2.1.1" : "2.4.0";
    this.#owner = options.owner;
  }

  /** Writes `owner` and `config` as the contract's instantiate does. */
  instantiate(ctx: ExecuteContext): Response {
    initOwner(ctx.store, this.#owner);
    CONFIG.save(ctx.store, { prefix: chainPrefix(ctx) });
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, m] = variant(msg);
    if (name !== "set_address") throw unknownVariant(MSG, name, ["set_address", "update_owner"]);
    assertOwner(ctx.store, ctx.sender);
    const type = parseType(reqString(MSG, m, "address_type"));
    const address = reqString(MSG, m, "address");
    const prefix = CONFIG.load(ctx.store)?.prefix ?? chainPrefix(ctx);
    if (!address.startsWith(`${prefix}1`)) throw new ContractError(`Invalid chain prefix: ${prefix}`);
    ADDRESSES.save(ctx.store, address, type);
    return response().attr("action", "set_address").attr("address_type", type).attr("address", address);
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name, m] = variant(msg);
    switch (name) {
      case "config":
        return { owner: currentOwner(ctx.store), proposed_new_owner: proposedOwner(ctx.store), prefix: CONFIG.load(ctx.store)?.prefix ?? "" };
      case "address":
        return lookup(ctx, parseType(m.value));
      case "addresses": {
        const list = (msg as Record<string, unknown>).addresses;
        if (!Array.isArray(list)) throw parseError(QUERY, "invalid type: expected a sequence of address types");
        return list.map((t: unknown) => lookup(ctx, parseType(t)));
      }
      case "all_addresses":
        return allAddresses(ctx, m);
      default:
        throw unknownVariant(QUERY, name, ["config", "address", "addresses", "all_addresses"]);
    }
  }
}

function parseType(value: unknown): MarsAddressType {
  if (typeof value === "string" && (MARS_ADDRESS_TYPES as readonly string[]).includes(value)) return value as MarsAddressType;
  throw unknownVariant(TYPE, String(value), MARS_ADDRESS_TYPES);
}

function lookup(ctx: QueryContext, type: MarsAddressType): AddressResponseItem {
  const address = ADDRESSES.load(ctx.store, type);
  if (address === undefined) throw new ContractError("alloc::string::String not found");
  return { address_type: type, address };
}

function allAddresses(ctx: QueryContext, m: Fields): AddressResponseItem[] {
  const start = optString(QUERY, m, "start_after");
  const limit = pageLimit(optU32(QUERY, m, "limit"));
  return rangeAfter(ctx.store, ADDRESSES.prefix, start, limit).map(([k, v]) => ({
    address_type: text(k.slice(ADDRESSES.prefix.length)) as MarsAddressType,
    address: JSON.parse(v) as string,
  }));
}

/**
 * The addresses a Mars contract needs, looked up through the address provider in one
 * `{"addresses":[..]}` query (`address_provider::helpers::query_contract_addrs`).
 */
export function queryAddresses<T extends MarsAddressType>(ctx: QueryContext, addressProvider: string, types: readonly T[]): Record<T, string> {
  const items = queryContract<AddressResponseItem[]>(ctx, addressProvider, { addresses: types });
  const out = {} as Record<T, string>;
  for (const it of items) out[it.address_type as T] = it.address;
  return out;
}
