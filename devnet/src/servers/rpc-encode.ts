import { rfc3339, type ValidatorInfo } from "../chain/block-builder.js";
import type { AbciQueryResult } from "../chain/abci-query.js";
import type { BlockHeader, BlockId, CommittedBlock, IndexedTx, LastCommit, TxResult } from "../chain/types.js";
import type { ChainEvent } from "../state/world.js";

/**
 * CometBFT 0.38 JSON shapes, as its RPC and websocket return them and as cosmjs' comet38 adaptor
 * decodes them: int64 as decimal strings, hashes and addresses as upper-case hex, tx bytes, query
 * values and signatures as base64, event attributes as plain strings with `index: true`.
 */

/** CometBFT software version reported by `status` (cosmjs picks its Comet38Client on "0.38."). */
export const COMET_VERSION = "0.38.17";
const BLOCK_PROTOCOL = "11";
const EMPTY_BLOCK_ID = { hash: "", parts: { total: 0, hash: "" } };

/** Base64 through node's Buffer (native; cosmjs' pure-JS encoder cost ~15 % of a raw-state scan). */
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const hexToB64 = (hex: string): string => Buffer.from(hex, "hex").toString("base64");

/** A block id: `{hash, parts: {total, hash}}`. */
export function blockIdJson(id: BlockId) {
  return { hash: id.hash, parts: { total: id.partsTotal, hash: id.partsHash } };
}

/** A block header. */
export function headerJson(h: BlockHeader) {
  return {
    version: { block: BLOCK_PROTOCOL, app: "0" },
    chain_id: h.chainId,
    height: String(h.height),
    time: rfc3339(h.timeMs),
    last_block_id: h.lastBlockId ? blockIdJson(h.lastBlockId) : EMPTY_BLOCK_ID,
    last_commit_hash: h.lastCommitHash,
    data_hash: h.dataHash,
    validators_hash: h.validatorsHash,
    next_validators_hash: h.nextValidatorsHash,
    consensus_hash: h.consensusHash,
    app_hash: h.appHash,
    last_results_hash: h.lastResultsHash,
    evidence_hash: h.evidenceHash,
    proposer_address: h.proposerAddress,
  };
}

/** A commit (the block's `last_commit`, or the commit of a block for `/commit`). */
export function commitJson(commit: LastCommit | undefined, validator: ValidatorInfo) {
  if (!commit) return { height: "0", round: 0, block_id: EMPTY_BLOCK_ID, signatures: [] };
  return {
    height: String(commit.height),
    round: 0,
    block_id: blockIdJson(commit.blockId),
    signatures: [{ block_id_flag: 2, validator_address: validator.address, timestamp: rfc3339(commit.timeMs), signature: b64(commit.signature) }],
  };
}

/** A block: header, txs (base64), evidence and last commit. */
export function blockJson(block: CommittedBlock, validator: ValidatorInfo) {
  return {
    header: headerJson(block.header),
    data: { txs: block.txs.map((t) => b64(t.tx)) },
    evidence: { evidence: [] },
    last_commit: commitJson(block.lastCommit, validator),
  };
}

/** An ABCI event with string attributes. */
export function eventJson(e: ChainEvent) {
  return { type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: true })) };
}

/** An `ExecTxResult` (DeliverTx/CheckTx result). */
export function txResultJson(r: TxResult) {
  return {
    code: r.code,
    data: r.data.length ? b64(r.data) : null,
    log: r.log,
    info: "",
    gas_wanted: String(r.gasWanted),
    gas_used: String(r.gasUsed),
    events: r.events.map(eventJson),
    codespace: r.codespace,
  };
}

/** A transaction as `tx` and `tx_search` return it. */
export function txJson(tx: IndexedTx) {
  return { hash: tx.hash, height: String(tx.height), index: tx.index, tx_result: txResultJson(tx.result), tx: b64(tx.tx) };
}

/** `block_results`. */
export function blockResultsJson(block: CommittedBlock) {
  return {
    height: String(block.header.height),
    txs_results: block.txs.length ? block.txs.map((t) => txResultJson(t.result)) : null,
    finalize_block_events: block.finalizeEvents.map(eventJson),
    validator_updates: [],
    consensus_param_updates: null,
    app_hash: hexToB64(block.resultingAppHash),
  };
}

/** A block meta for `blockchain`. */
export function blockMetaJson(block: CommittedBlock) {
  return { block_id: blockIdJson(block.blockId), block_size: String(block.size), header: headerJson(block.header), num_txs: String(block.txs.length) };
}

/** The `data.value` of a NewBlock event. */
export function newBlockEventValue(block: CommittedBlock, validator: ValidatorInfo) {
  return {
    block: blockJson(block, validator),
    block_id: blockIdJson(block.blockId),
    result_finalize_block: {
      events: block.finalizeEvents.map(eventJson),
      tx_results: block.txs.map((t) => txResultJson(t.result)),
      validator_updates: [],
      consensus_param_updates: null,
      app_hash: hexToB64(block.resultingAppHash),
    },
  };
}

/** The `data.value` of a Tx event. */
export function txEventValue(tx: IndexedTx) {
  return { TxResult: { height: String(tx.height), index: tx.index, tx: b64(tx.tx), result: txResultJson(tx.result) } };
}

/** An `abci_query` result. */
export function abciQueryJson(r: AbciQueryResult) {
  return {
    response: {
      code: r.code,
      log: r.log,
      info: "",
      index: "0",
      key: null,
      value: r.value.length ? b64(r.value) : null,
      proofOps: null,
      height: String(r.height),
      codespace: r.codespace,
    },
  };
}

/** A validator as `validators` and `status` show it. */
export function validatorJson(v: ValidatorInfo) {
  return { address: v.address, pub_key: { type: "tendermint/PubKeyEd25519", value: b64(v.pubkey) }, voting_power: String(v.votingPower), proposer_priority: "0" };
}

/** Consensus parameters (what `genesis` and `consensus_params` report). */
export function consensusParamsJson() {
  return {
    block: { max_bytes: "22020096", max_gas: "-1" },
    evidence: { max_age_num_blocks: "100000", max_age_duration: "172800000000000", max_bytes: "1048576" },
    validator: { pub_key_types: ["ed25519"] },
    version: { app: "0" },
    abci: { vote_extensions_enable_height: "0" },
  };
}

/** The software versions `status` reports. */
export const PROTOCOL_VERSION = { p2p: "8", block: BLOCK_PROTOCOL, app: "0" };
