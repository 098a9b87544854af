import { ContractError, response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "../host.js";
import { optString, optU32, reqString, type Fields } from "../mars-core/msg-fields.js";
import { rangeAfterKey } from "../mars-core/pagination.js";
import { bytes, splitKey } from "../../state/storage.js";
import { CONFIG, CONTRACT_INFO, NEXT_ID, OWNERSHIP, TOKEN_COUNT, TOKENS, instantiateAccountNft, newToken, ownerIndexPrefix, saveToken, type Ownership } from "./state.js";

const EXEC = "mars_types::account_nft::ExecuteMsg";
const QUERY = "mars_types::account_nft::QueryMsg";
/** cw721-base query page sizes. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;
const TOKEN_NOT_FOUND = "cw721_base::state::TokenInfo<cosmwasm_std::results::empty::Empty> not found";

/** Constructor options of {@link AccountNftModel} (the contract's InstantiateMsg). */
export interface AccountNftOptions {
  variant: MarsVariant;
  /** Initial minter (cw-ownable owner); genesis then transfers minting to the credit manager. */
  minter: string;
  name?: string;
  symbol?: string;
  /** `max_value_for_burn` (Uint128 string, default "1000000"). */
  maxValueForBurn?: string;
  healthContract?: string;
  creditManager?: string;
}

/**
 * The Mars account NFT (cw721-base 0.18 + Mars extensions; spec §3.3, §6.1). Token ids are
 * decimal strings from the `next_id` counter; only the minter (cw-ownable owner: the credit
 * manager after it accepted ownership) may `mint {user}`. Queries: `owner_of`, `tokens {owner}`
 * (owner index, ordered by token-id bytes), `all_tokens` (ordered by token-id bytes: "1","10","2"),
 * `num_tokens`, `next_id`, `config`, `contract_info`, `nft_info`, `minter`, `ownership`.
 * Not modelled: approvals/operators, `send_nft`, `burn` (they answer with an explicit error).
 */
export class AccountNftModel implements Contract {
  readonly contractName = "crates.io:mars-account-nft";
  readonly contractVersion: string;
  readonly #options: AccountNftOptions;

  constructor(options: AccountNftOptions) {
    this.contractVersion = options.variant === "neutron" ? "2.3.0" : "2.1.0";
    this.#options = options;
  }

  /** Writes `next_id` (1), `config`, `nft_info` and the cw-ownable `ownership` (minter) as the real instantiate. */
  instantiate(ctx: ExecuteContext): Response {
    const o = this.#options;
    instantiateAccountNft(ctx.store, {
      name: o.name ?? "Rover Credit Account",
      symbol: o.symbol ?? "RCA",
      minter: o.minter,
      max_value_for_burn: o.maxValueForBurn ?? "1000000",
      health_contract: o.healthContract ?? null,
      credit_manager_contract: o.creditManager ?? null,
    });
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, body] = variant(msg);
    switch (name) {
      case "mint":
        return this.#mint(ctx, reqString(EXEC, body, "user"));
      case "update_ownership":
        return this.#updateOwnership(ctx, msg as Fields);
      case "transfer_nft":
        return this.#transfer(ctx, reqString(EXEC, body, "recipient"), reqString(EXEC, body, "token_id"));
      default:
        throw new ContractError(`devnet account-nft: execute message \`${name}\` is not modelled`);
    }
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name, body] = variant(msg);
    const store = ctx.store;
    switch (name) {
      case "next_id":
        return String(NEXT_ID.load(store) ?? 1);
      case "config":
        return CONFIG.load(store);
      case "contract_info":
        return CONTRACT_INFO.load(store);
      case "num_tokens":
        return { count: TOKEN_COUNT.load(store) ?? 0 };
      case "minter":
        return { minter: OWNERSHIP.load(store)?.owner ?? null };
      case "ownership":
        return OWNERSHIP.load(store);
      case "owner_of": {
        const token = TOKENS.load(store, reqString(QUERY, body, "token_id"));
        if (!token) throw new ContractError(TOKEN_NOT_FOUND);
        return { owner: token.owner, approvals: [] };
      }
      case "nft_info": {
        const token = TOKENS.load(store, reqString(QUERY, body, "token_id"));
        if (!token) throw new ContractError(TOKEN_NOT_FOUND);
        return { token_uri: token.token_uri, extension: token.extension };
      }
      case "tokens": {
        const prefix = ownerIndexPrefix(reqString(QUERY, body, "owner"));
        const after = optString(QUERY, body, "start_after");
        const limit = Math.min(optU32(QUERY, body, "limit") ?? DEFAULT_LIMIT, MAX_LIMIT);
        const rows = rangeAfterKey(store, prefix, after === null ? undefined : prefix + bytes(after), limit);
        return { tokens: rows.map(([k]) => splitKey(k.slice(prefix.length), 1)[0]!) };
      }
      case "all_tokens": {
        const after = optString(QUERY, body, "start_after");
        const limit = Math.min(optU32(QUERY, body, "limit") ?? DEFAULT_LIMIT, MAX_LIMIT);
        const rows = rangeAfterKey(store, TOKENS.prefix, after === null ? undefined : TOKENS.key(after), limit);
        return { tokens: rows.map(([k]) => splitKey(k.slice(TOKENS.prefix.length), 1)[0]!) };
      }
      default:
        throw new ContractError(`devnet account-nft: query \`${name}\` is not modelled`);
    }
  }

  #mint(ctx: ExecuteContext, user: string): Response {
    assertMinter(OWNERSHIP.load(ctx.store), ctx.sender);
    const nextId = NEXT_ID.load(ctx.store) ?? 1;
    NEXT_ID.save(ctx.store, nextId + 1);
    const tokenId = String(nextId);
    if (TOKENS.load(ctx.store, tokenId)) throw new ContractError("token_id already claimed");
    saveToken(ctx.store, tokenId, newToken(user));
    TOKEN_COUNT.save(ctx.store, (TOKEN_COUNT.load(ctx.store) ?? 0) + 1);
    return response().attr("action", "mint").attr("minter", ctx.sender).attr("owner", user).attr("token_id", tokenId);
  }

  #transfer(ctx: ExecuteContext, recipient: string, tokenId: string): Response {
    const token = TOKENS.load(ctx.store, tokenId);
    if (!token) throw new ContractError(TOKEN_NOT_FOUND);
    if (token.owner !== ctx.sender) throw new ContractError("Caller is not the contract's current owner");
    saveToken(ctx.store, tokenId, { ...token, owner: recipient, approvals: [] }, token);
    return response().attr("action", "transfer_nft").attr("sender", ctx.sender).attr("recipient", recipient).attr("token_id", tokenId);
  }

  /** cw-ownable `update_ownership`: `transfer_ownership {new_owner, expiry}`, `accept_ownership`, `renounce_ownership`. */
  #updateOwnership(ctx: ExecuteContext, msg: Fields): Response {
    const action = msg["update_ownership"];
    const [name, body] = variant(action);
    const current = OWNERSHIP.load(ctx.store) ?? { owner: null, pending_owner: null, pending_expiry: null };
    let next: Ownership;
    if (name === "transfer_ownership") {
      assertMinter(current, ctx.sender);
      next = { owner: current.owner, pending_owner: reqString(EXEC, body, "new_owner"), pending_expiry: body["expiry"] ?? null };
    } else if (name === "accept_ownership") {
      if (!current.pending_owner) throw new ContractError("Ownership transfer not found");
      if (current.pending_owner !== ctx.sender) throw new ContractError("Caller is not the contract's pending owner");
      next = { owner: current.pending_owner, pending_owner: null, pending_expiry: null };
    } else if (name === "renounce_ownership") {
      assertMinter(current, ctx.sender);
      next = { owner: null, pending_owner: null, pending_expiry: null };
    } else {
      throw new ContractError(`Error parsing into type cw_ownable::Action: unknown variant \`${name}\``);
    }
    OWNERSHIP.save(ctx.store, next);
    // cw-ownable `Ownership::into_attributes` (cw721-base adds no `action`).
    return response()
      .attr("owner", next.owner ?? "none")
      .attr("pending_owner", next.pending_owner ?? "none")
      .attr("pending_expiry", next.pending_expiry === null ? "none" : JSON.stringify(next.pending_expiry));
  }
}

function assertMinter(ownership: Ownership | undefined, sender: string): void {
  if (!ownership?.owner) throw new ContractError("Contract ownership has been renounced");
  if (ownership.owner !== sender) throw new ContractError("Caller is not the contract's current owner");
}
