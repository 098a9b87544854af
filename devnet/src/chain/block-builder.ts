import { sha256, sha512 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import type { BlockHeader, BlockId, CommittedBlock, IndexedTx } from "./types.js";

/** The devnet's single validator (an ed25519 key derived from the chain id; it never signs anything real). */
export interface ValidatorInfo {
  /** Upper-case hex of the first 20 bytes of sha256(pubkey), as CometBFT derives it. */
  address: string;
  /** 32-byte ed25519 public key. */
  pubkey: Uint8Array;
  votingPower: number;
}

const EMPTY_HASH = hex(sha256(new Uint8Array()));
const enc = new TextEncoder();

function hex(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

function hashText(...parts: string[]): string {
  return hex(sha256(enc.encode(parts.join("|"))));
}

/** The validator of a devnet with this chain id. */
export function devnetValidator(chainId: string): ValidatorInfo {
  const pubkey = sha256(enc.encode(`devnet-validator:${chainId}`));
  return { address: hex(sha256(pubkey).slice(0, 20)), pubkey, votingPower: 10 };
}

/** The app hash the chain starts from (reported until the first block's results are in). */
export function genesisAppHash(chainId: string): string {
  return hashText("genesis-app-hash", chainId);
}

/** Formats unix milliseconds as CometBFT does (RFC 3339, nanoseconds with trailing zeros trimmed). */
export function rfc3339(timeMs: number): string {
  const iso = new Date(timeMs).toISOString(); // 2024-01-02T03:04:05.678Z
  const frac = iso.slice(20, 23).replace(/0+$/, "");
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ""}Z`;
}

/** Inputs of {@link buildBlock}. */
export interface BlockInputs {
  chainId: string;
  height: number;
  timeMs: number;
  previous: CommittedBlock | undefined;
  /** The app hash before this block (the previous block's resulting app hash, or genesis). */
  appHash: string;
  txs: IndexedTx[];
  validator: ValidatorInfo;
}

/**
 * Assembles a committed block: a header whose hashes are deterministic digests of its contents
 * (not CometBFT's merkle trees; clients only check their format), the block id, and the commit of
 * the previous block. The work is proportional to the block's transactions.
 */
export function buildBlock(input: BlockInputs): CommittedBlock {
  const { previous, txs, validator } = input;
  const dataHash = txs.length ? hex(sha256(Uint8Array.from(Buffer.concat(txs.map((t) => Buffer.from(t.hash, "hex")))))) : EMPTY_HASH;
  const validatorsHash = hashText("validators", toHex(validator.pubkey), String(validator.votingPower));
  const header: BlockHeader = {
    chainId: input.chainId,
    height: input.height,
    timeMs: input.timeMs,
    lastBlockId: previous?.blockId,
    lastCommitHash: previous ? hashText("commit", previous.blockId.hash) : EMPTY_HASH,
    dataHash,
    validatorsHash,
    nextValidatorsHash: validatorsHash,
    consensusHash: hashText("consensus-params"),
    appHash: input.appHash,
    lastResultsHash: previous ? resultsHash(previous.txs) : EMPTY_HASH,
    evidenceHash: EMPTY_HASH,
    proposerAddress: validator.address,
  };
  const hash = hashText(JSON.stringify(header));
  const blockId: BlockId = { hash, partsTotal: 1, partsHash: hashText("parts", hash) };
  const lastCommit = previous
    ? { height: previous.header.height, blockId: previous.blockId, timeMs: previous.header.timeMs, signature: sha512(enc.encode(`commit:${previous.blockId.hash}`)) }
    : undefined;
  return {
    header,
    blockId,
    lastCommit,
    txs,
    finalizeEvents: [],
    resultingAppHash: hashText("app-hash", input.appHash, dataHash, resultsHash(txs)),
    size: 600 + txs.reduce((n, t) => n + t.tx.length, 0),
  };
}

function resultsHash(txs: readonly IndexedTx[]): string {
  if (txs.length === 0) return EMPTY_HASH;
  return hashText(...txs.map((t) => `${t.result.code}:${t.result.gasUsed}:${Buffer.from(t.result.data).toString("base64")}`));
}
