/** The Mars account NFT (cw721-base 0.18, spec §3.3, §6.1), re-exported from `account-nft/`. */
export { AccountNftModel, type AccountNftOptions } from "./account-nft/contract.js";
export { NEXT_ID, OWNER_INDEX_NS, TOKENS, bulkMint, ownerIndexKey, type TokenInfo } from "./account-nft/state.js";
