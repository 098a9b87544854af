import type { KvStore } from "../../state/kv-store.js";
import { bytes, Item, JsonMap, mapKey, mapPrefix } from "../../state/storage.js";

/**
 * Storage of the Mars account NFT exactly as cw721-base 0.18 (rev 177a993, the one Mars builds
 * against) and mars-account-nft lay it out (spec §3.3 "All accounts", §6.1):
 * - `nft_info` Item: `{"name","symbol"}`; `num_tokens` Item: u64 as a JSON number;
 * - `ownership` Item (cw-ownable): `{"owner","pending_owner","pending_expiry"}` — the minter;
 * - `tokens` Map token_id → `{"owner","approvals":[],"token_uri":null,"extension":{}}`;
 * - `tokens__owner` MultiIndex: raw key `00 0d "tokens__owner" u16(len owner) owner token_id`,
 *   value = byte length of the token id as a JSON number (what the old Go collector scans);
 * - `next_id` Item (u64 JSON number, starts at 1) and `config` Item (Mars `NftConfig`).
 */

/** cw721 `TokenInfo<Empty>` as stored. */
export interface TokenInfo {
  owner: string;
  approvals: { spender: string; expires: unknown }[];
  token_uri: string | null;
  extension: Record<string, never>;
}

/** cw-ownable `Ownership<Addr>`. */
export interface Ownership {
  owner: string | null;
  pending_owner: string | null;
  pending_expiry: unknown;
}

/** Mars `NftConfig`. */
export interface NftConfig {
  max_value_for_burn: string;
  health_contract_addr: string | null;
  credit_manager_contract_addr: string | null;
}

/** Item `nft_info`: cw721 contract info `{"name","symbol"}`. */
export const CONTRACT_INFO = new Item<{ name: string; symbol: string }>("nft_info");
/** Item `num_tokens`: number of tokens (u64, JSON number). */
export const TOKEN_COUNT = new Item<number>("num_tokens");
/** Item `ownership`: cw-ownable minter state. */
export const OWNERSHIP = new Item<Ownership>("ownership");
/** Item `next_id`: the next account id (u64, JSON number, starts at 1). */
export const NEXT_ID = new Item<number>("next_id");
/** Item `config`: Mars `NftConfig`. */
export const CONFIG = new Item<NftConfig>("config");
/** Map `tokens`: token id → `TokenInfo` (primary map of the cw721 IndexedMap). */
export const TOKENS = new JsonMap<TokenInfo>("tokens", 1);
/** Namespace of the owner MultiIndex. */
export const OWNER_INDEX_NS = "tokens__owner";

/** The account NFT's InstantiateMsg (Mars `account_nft::InstantiateMsg`). */
export interface AccountNftInstantiateMsg {
  name: string;
  symbol: string;
  minter: string;
  max_value_for_burn: string;
  health_contract?: string | null;
  credit_manager_contract?: string | null;
}

/** Writes the state the real `instantiate` writes (besides cw2, which the World stores). */
export function instantiateAccountNft(store: KvStore, msg: AccountNftInstantiateMsg): void {
  NEXT_ID.save(store, 1);
  CONFIG.save(store, {
    max_value_for_burn: msg.max_value_for_burn,
    health_contract_addr: msg.health_contract ?? null,
    credit_manager_contract_addr: msg.credit_manager_contract ?? null,
  });
  CONTRACT_INFO.save(store, { name: msg.name, symbol: msg.symbol });
  OWNERSHIP.save(store, { owner: msg.minter, pending_owner: null, pending_expiry: null });
}

/** Raw key of the owner-index entry of a token. */
export function ownerIndexKey(owner: string, tokenId: string): string {
  return mapKey(OWNER_INDEX_NS, owner, tokenId);
}

/** Raw prefix of all owner-index entries of `owner`. */
export function ownerIndexPrefix(owner: string): string {
  return mapPrefix(OWNER_INDEX_NS, owner);
}

/** A freshly minted token. */
export function newToken(owner: string): TokenInfo {
  return { owner, approvals: [], token_uri: null, extension: {} };
}

/** Saves a token and keeps the owner index in step (IndexedMap::save). */
export function saveToken(store: KvStore, tokenId: string, token: TokenInfo, previous?: TokenInfo): void {
  if (previous) store.delete(ownerIndexKey(previous.owner, tokenId));
  TOKENS.save(store, token, tokenId);
  store.set(ownerIndexKey(token.owner, tokenId), String(bytes(tokenId).length));
}

/**
 * Mints `owners.length` tokens in one go for scenario set-up (no journal, one sort): ids
 * `next_id, next_id+1, ...`, owner index, `num_tokens` and `next_id` updated. Returns the ids.
 */
export function bulkMint(store: KvStore, owners: readonly string[]): string[] {
  const first = NEXT_ID.load(store) ?? 1;
  const ids: string[] = [];
  const entries: [string, string][] = [];
  owners.forEach((owner, i) => {
    const id = String(first + i);
    ids.push(id);
    entries.push([TOKENS.key(id), JSON.stringify(newToken(owner))]);
    entries.push([ownerIndexKey(owner, id), String(id.length)]);
  });
  entries.push([bytes("next_id"), JSON.stringify(first + owners.length)]);
  entries.push([bytes("num_tokens"), JSON.stringify((TOKEN_COUNT.load(store) ?? 0) + owners.length)]);
  store.bulkSet(entries);
  return ids;
}
