import type { ChainEvent } from "../state/world.js";

/** The outcome of CheckTx, DeliverTx or simulate, as ABCI's `ExecTxResult` carries it. */
export interface TxResult {
  code: number;
  codespace: string;
  /** Empty on success (cosmos-sdk 0.50), the error text otherwise. */
  log: string;
  /** Encoded `TxMsgData` (the message responses) on success. */
  data: Uint8Array;
  gasWanted: number;
  gasUsed: number;
  events: ChainEvent[];
}

/** A transaction in a committed block. */
export interface IndexedTx {
  /** Upper-case hex sha256 of the bytes. */
  hash: string;
  height: number;
  /** Position in the block. */
  index: number;
  tx: Uint8Array;
  result: TxResult;
}

/** A block id: the header hash and the part-set header (one part), upper-case hex. */
export interface BlockId {
  hash: string;
  partsTotal: number;
  partsHash: string;
}

/** A CometBFT block header (hashes as upper-case hex, time as unix milliseconds). */
export interface BlockHeader {
  chainId: string;
  height: number;
  timeMs: number;
  lastBlockId: BlockId | undefined;
  lastCommitHash: string;
  dataHash: string;
  validatorsHash: string;
  nextValidatorsHash: string;
  consensusHash: string;
  appHash: string;
  lastResultsHash: string;
  evidenceHash: string;
  proposerAddress: string;
}

/** The commit for the previous block carried in a block (one signature by the devnet validator). */
export interface LastCommit {
  height: number;
  blockId: BlockId;
  /** When the validator signed (the previous block's time). */
  timeMs: number;
  /** Validator signature (fake but deterministic, 64 bytes). */
  signature: Uint8Array;
}

/** A committed block with its results, as the block store keeps it. */
export interface CommittedBlock {
  header: BlockHeader;
  blockId: BlockId;
  lastCommit: LastCommit | undefined;
  txs: IndexedTx[];
  /** Events of FinalizeBlock outside any tx (none in the devnet so far). */
  finalizeEvents: ChainEvent[];
  /** The app hash after this block (the next header's `appHash`). */
  resultingAppHash: string;
  /** Encoded size in bytes (sum of tx sizes plus a fixed header overhead). */
  size: number;
}

/** The events CometBFT attaches to a pubsub message or indexes for a tx: composite key → values. */
export type EventMap = Map<string, string[]>;
