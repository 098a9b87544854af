import { encodeSecp256k1Pubkey, type StdFee } from "@cosmjs/amino";
import { encodePubkey, makeAuthInfoBytes, makeSignDoc, type EncodeObject, type OfflineDirectSigner, type Registry } from "@cosmjs/proto-signing";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { ChainClient, IncludedTx } from "../rpc-client.js";
import { SequenceMismatchError, SignerLeaseLostError, TxRejectedError, TxSimulationError, TxTimeoutError, sequenceMismatch } from "./errors.js";
import type { FeePolicy } from "./fees.js";
import { txRegistry } from "./messages.js";
import { queryAccount, querySimulate, type SimulationResult } from "./queries.js";

/** Simulations per call with different sequences when the node names another one (see `simulateTx`). */
const SIMULATE_SEQUENCE_ATTEMPTS = 4;

/** Options of {@link TxSender}. */
export interface TxSenderOptions {
  client: ChainClient;
  /** Holds the key of `address` (e.g. the HD wallet of `walletFromMnemonic`, shared by many senders). */
  signer: OfflineDirectSigner;
  /** The account this sender signs for; one sender per address per process. */
  address: string;
  fees: FeePolicy;
  /** Chain id for the sign doc; read from the node's status when absent. */
  chainId?: string;
  /** Encodes the messages; default {@link txRegistry} (bank, staking, wasm, ...). */
  registry?: Registry;
  /**
   * Asked right before every signature; false throws {@link SignerLeaseLostError} and nothing is
   * signed (e.g. `() => leases.isHeld(index)` of the `SignerLeases` that gave out this signer).
   */
  holdsLease?: () => boolean;
  logger?: Logger;
}

/** Options of {@link TxSender.broadcast}. */
export interface BroadcastOptions {
  /** Gas limit to use as is; when absent the tx is simulated and the limit is `FeePolicy.gasLimit(gasUsed)`. */
  gasLimit?: number;
  memo?: string;
}

/** A transaction the node accepted into its mempool (CheckTx code 0). */
export interface BroadcastResult {
  /** The tx hash, upper-case hex. */
  hash: string;
  /** The sequence it was signed with. */
  sequence: number;
  fee: StdFee;
  gasLimit: number;
  /** Wall-clock time (ms) the tx bytes were sent. */
  broadcastAtMs: number;
}

/** Signed transaction bytes (`TxRaw`) and the sequence they carry. */
export interface SignedTx {
  bytes: Uint8Array;
  sequence: number;
}

/** Options of {@link TxSender.waitForTx}. */
export interface WaitForTxOptions {
  /** Give up after this long, in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Ask the node this often, in milliseconds (default 100). */
  pollMs?: number;
}

/** What signing needs and never changes: the account's public key, number and the chain id. */
interface Identity {
  pubkey: Any;
  accountNumber: number;
  chainId: string;
}

/**
 * Signs and broadcasts for one account, fast: the account number and sequence are read from the
 * chain once and the sequence is then tracked locally, so several transactions (sequences n, n+1,
 * ...) can be in flight without waiting for inclusion (anchors §7.1 item 6). Simulations run
 * concurrently; signing and `broadcast_tx_sync` run one at a time so sequences reach the node in
 * order. A sequence mismatch (someone else signed with the account) re-reads the sequence, from
 * the chain's error or from the chain, and retries once. Not `SigningStargateClient`: that one
 * re-reads the account on every call and polls for inclusion every 3 s. A messages array is encoded
 * once (a simulation and the broadcast that follows share the bytes): change it only by making a new one.
 */
export class TxSender {
  /** The account this sender signs for. */
  readonly address: string;
  readonly client: ChainClient;
  readonly fees: FeePolicy;
  readonly #o: TxSenderOptions;
  readonly #registry: Registry;
  readonly #logger?: Logger;
  #identity: Promise<Identity> | undefined;
  /** The sequence the next transaction is signed with. */
  #sequence = 0;
  /** A transaction with `#sequence` is on its way to the node (sent, not yet answered). */
  #inFlight = false;
  /** The sequence the node's last successful simulation was run with. */
  #simSequence: number | undefined;
  /**
   * The node checks a simulation's sequence against its committed state (it once named one below
   * ours): then the last sequence it accepted is tried first. cosmos-sdk simulates on its check
   * state, where our transactions in the mempool already moved the sequence: ours is right there.
   */
  #simCommitted = false;
  readonly #bodies = new WeakMap<readonly EncodeObject[], { memo: string; bytes: Uint8Array }>();
  /** Tail of the sign-and-broadcast queue. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TxSenderOptions) {
    this.#o = options;
    this.address = options.address;
    this.client = options.client;
    this.fees = options.fees;
    this.#registry = options.registry ?? txRegistry();
    this.#logger = options.logger?.child({ component: "tx-sender", signer: options.address });
  }

  /**
   * Gas used by `msgs` when run now, by the Simulate query with an empty signature and the
   * signer's public key (as cosmjs does; no fee, so the fee's own gas is left to the adjustment).
   * Throws {@link TxSimulationError} with the chain's text (a contract's error included).
   */
  async simulate(msgs: readonly EncodeObject[], memo = ""): Promise<number> {
    return (await this.simulateTx(msgs, memo)).gasUsed;
  }

  /**
   * Like {@link simulate}, with the events the transaction would emit (what it would pay and
   * receive); with `eventTypes`, only the events of those types.
   */
  async simulateTx(msgs: readonly EncodeObject[], memo = "", eventTypes?: ReadonlySet<string>): Promise<SimulationResult> {
    const id = await this.#load();
    // On a node that checks the committed sequence, start from the one it last accepted, if still
    // current: with several txs in flight it rejects our next one.
    // Otherwise the sequence after ours on its way to the node: sent before this simulation, it
    // reaches CheckTx first, and the node simulates on the state CheckTx leaves.
    const next = this.#sequence + (this.#inFlight ? 1 : 0);
    let sequence = this.#simCommitted && this.#simSequence !== undefined && this.#simSequence <= this.#sequence ? this.#simSequence : next;
    for (let attempt = 1; ; attempt++) {
      const authInfoBytes = makeAuthInfoBytes([{ pubkey: id.pubkey, sequence }], [], 0, undefined, undefined, SignMode.SIGN_MODE_UNSPECIFIED);
      const tx = TxRaw.encode({ bodyBytes: this.#body(msgs, memo), authInfoBytes, signatures: [new Uint8Array()] }).finish();
      const r = await querySimulate(this.client, tx, eventTypes);
      if ("gasUsed" in r) {
        this.#simSequence = sequence;
        return r;
      }
      // Nodes check the sequence in simulation too: against the mempool's pending state (cosmos-sdk
      // simulates on its check state) or, on some nodes, the committed one, which moves with every
      // block while our txs are pending. Gas does not depend on it, so take theirs, a few times over.
      const mismatch = sequenceMismatch(r);
      if (mismatch?.expected !== undefined && mismatch.expected !== sequence && attempt < SIMULATE_SEQUENCE_ATTEMPTS) {
        if (mismatch.expected < this.#sequence && sequence === this.#sequence) this.#simCommitted = true;
        // Never below what the node accepted from us since it answered (it answered before CheckTx
        // had our transaction on its way), unless it checks the committed sequence.
        sequence = this.#simCommitted ? mismatch.expected : Math.max(mismatch.expected, this.#sequence);
        continue;
      }
      throw new TxSimulationError({ signer: this.address, abciCode: r.code, codespace: r.codespace, log: r.log });
    }
  }

  /**
   * Signs `msgs` (SIGN_MODE_DIRECT) with the next sequence, without sending or using it up: a
   * dry run can sign and the next broadcast still signs with the same sequence.
   */
  async sign(msgs: readonly EncodeObject[], fee: StdFee, memo = ""): Promise<SignedTx> {
    const id = await this.#load();
    const sequence = this.#sequence;
    return { bytes: await this.#sign(id, msgs, fee, memo, sequence), sequence };
  }

  /**
   * Simulates (unless `gasLimit` is given), prices, signs and sends `msgs` with
   * `broadcast_tx_sync`; resolves as soon as the node accepted the tx into its mempool. A sequence
   * mismatch is recovered once; any other CheckTx error throws {@link TxRejectedError}, a second
   * mismatch {@link SequenceMismatchError}. Transport failures throw the client's error with the
   * sequence unchanged (a tx that did arrive shows as a mismatch next time, and is recovered).
   */
  async broadcast(msgs: readonly EncodeObject[], opts: BroadcastOptions = {}): Promise<BroadcastResult> {
    const memo = opts.memo ?? "";
    const gasLimit = opts.gasLimit ?? this.fees.gasLimit(await this.simulate(msgs, memo));
    const fee = await this.fees.fee(gasLimit);
    return this.#serially(() => this.#send(msgs, fee, gasLimit, memo));
  }

  /**
   * Polls the RPC `tx` method until the tx is in a block and returns its result, failed ones
   * (code ≠ 0) included. Throws {@link TxTimeoutError} after `timeoutMs` (outcome unknown).
   */
  async waitForTx(hash: string, opts: WaitForTxOptions = {}): Promise<IncludedTx> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const pollMs = opts.pollMs ?? 100;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const tx = await this.client.tx(hash);
        if (tx) return tx;
      } catch (err) {
        lastError = err; // every node failing for a moment is no verdict: keep asking until the deadline
      }
      if (Date.now() + pollMs > deadline) throw new TxTimeoutError(hash, timeoutMs, lastError === undefined ? undefined : { cause: lastError });
      await sleep(pollMs);
    }
  }

  async #send(msgs: readonly EncodeObject[], fee: StdFee, gasLimit: number, memo: string): Promise<BroadcastResult> {
    const id = await this.#load();
    for (let retried = false; ; retried = true) {
      const sequence = this.#sequence;
      const bytes = await this.#sign(id, msgs, fee, memo, sequence);
      const broadcastAtMs = Date.now();
      this.#inFlight = true;
      const r = await this.client.broadcastTxSync(bytes).finally(() => (this.#inFlight = false));
      if (r.code === 0) {
        this.#sequence = sequence + 1;
        this.#logger?.debug({ txHash: r.hash, sequence, gasLimit, fee: fee.amount }, "tx accepted into the mempool");
        return { hash: r.hash, sequence, fee, gasLimit, broadcastAtMs };
      }
      const mismatch = sequenceMismatch(r);
      if (!mismatch) {
        this.#logger?.warn({ txHash: r.hash, sequence, code: r.code, codespace: r.codespace, log: r.log }, "tx rejected by CheckTx");
        throw new TxRejectedError({ stage: "check", signer: this.address, txHash: r.hash, abciCode: r.code, codespace: r.codespace, log: r.log });
      }
      if (retried) throw new SequenceMismatchError({ signer: this.address, expected: mismatch.expected, got: sequence, log: r.log });
      this.#sequence = mismatch.expected ?? (await queryAccount(this.client, this.address)).sequence;
      this.#logger?.info({ sent: sequence, expected: this.#sequence, log: r.log }, "sequence out of step, re-signing with the chain's");
    }
  }

  async #sign(id: Identity, msgs: readonly EncodeObject[], fee: StdFee, memo: string, sequence: number): Promise<Uint8Array> {
    if (this.#o.holdsLease && !this.#o.holdsLease()) throw new SignerLeaseLostError(this.address);
    const authInfoBytes = makeAuthInfoBytes([{ pubkey: id.pubkey, sequence }], fee.amount, Number(fee.gas), fee.granter, fee.payer, SignMode.SIGN_MODE_DIRECT);
    const doc = makeSignDoc(this.#body(msgs, memo), authInfoBytes, id.chainId, id.accountNumber);
    const { signed, signature } = await this.#o.signer.signDirect(this.address, doc);
    return TxRaw.encode({ bodyBytes: signed.bodyBytes, authInfoBytes: signed.authInfoBytes, signatures: [Buffer.from(signature.signature, "base64")] }).finish();
  }

  /** The encoded body, once per messages array (a simulation and the broadcast that follows share it). */
  #body(msgs: readonly EncodeObject[], memo: string): Uint8Array {
    const cached = this.#bodies.get(msgs);
    if (cached?.memo === memo) return cached.bytes;
    const bytes = this.#registry.encodeTxBody({ messages: [...msgs], memo });
    this.#bodies.set(msgs, { memo, bytes });
    return bytes;
  }

  /**
   * Reads the account (number, sequence) and the chain id now, so the first transaction does not
   * wait for them: at the start of a burst those reads queue behind the burst's own at the node.
   */
  async load(): Promise<void> {
    await this.#load();
  }

  /** Public key, account number, chain id and starting sequence, read once (again after a failure). */
  #load(): Promise<Identity> {
    this.#identity ??= (async () => {
      const [accounts, account, chainId] = await Promise.all([
        this.#o.signer.getAccounts(),
        queryAccount(this.client, this.address),
        this.#o.chainId ?? this.client.status().then((s) => s.chainId),
      ]);
      const key = accounts.find((a) => a.address === this.address);
      if (!key) throw new Error(`the signer holds no key for ${this.address}; derive the wallet with enough HD accounts`);
      this.#sequence = account.sequence;
      this.#logger?.info({ accountNumber: account.accountNumber, sequence: account.sequence }, "signer account loaded");
      return { pubkey: encodePubkey(encodeSecp256k1Pubkey(key.pubkey)), accountNumber: account.accountNumber, chainId };
    })();
    this.#identity.catch(() => (this.#identity = undefined));
    return this.#identity;
  }

  /** Runs `fn` after every earlier queued call settled. */
  #serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
