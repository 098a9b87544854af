import { BotError, RetryableError, UnrecoverableError } from "../../errors.js";

/**
 * Errors of the transaction path. Each carries the chain's own code, codespace and log as fields
 * (never a key or mnemonic: only addresses, hashes and the chain's text). The chain's numeric code
 * is `abciCode`, since `code` is the project's stable error code (`ERR_TX_...`).
 */

/** Where the chain refused a transaction: CheckTx (mempool admission) or block execution. */
export type TxStage = "check" | "deliver";

/**
 * The chain refused a transaction: CheckTx answered a code other than 0 (and not a sequence
 * mismatch, see {@link SequenceMismatchError}), or, with stage `deliver`, its messages failed in
 * the block. Sending the same transaction again fails the same way.
 */
export class TxRejectedError extends UnrecoverableError {
  override readonly code = "ERR_TX_REJECTED";
  readonly stage: TxStage;
  readonly signer: string;
  readonly txHash: string;
  /** The chain's ABCI code within `codespace` (e.g. 13 insufficient fee, 5 insufficient funds in `sdk`). */
  readonly abciCode: number;
  readonly codespace: string;
  /** The chain's error text. */
  readonly log: string;
  constructor(o: { stage: TxStage; signer: string; txHash: string; abciCode: number; codespace: string; log: string }) {
    super(`tx ${o.txHash} from ${o.signer} was rejected at ${o.stage === "check" ? "CheckTx" : "delivery"} with code ${o.abciCode} (codespace ${o.codespace}): ${o.log}`);
    this.stage = o.stage;
    this.signer = o.signer;
    this.txHash = o.txHash;
    this.abciCode = o.abciCode;
    this.codespace = o.codespace;
    this.log = o.log;
  }
}

/**
 * Simulating a transaction failed: the messages would fail now (a contract error, insufficient
 * funds, ...). Nothing was broadcast. `log` holds the chain's text, the contract's error included.
 */
export class TxSimulationError extends UnrecoverableError {
  override readonly code = "ERR_TX_SIMULATION";
  readonly signer: string;
  readonly abciCode: number;
  readonly codespace: string;
  readonly log: string;
  constructor(o: { signer: string; abciCode: number; codespace: string; log: string }) {
    super(`simulation of a tx from ${o.signer} failed with code ${o.abciCode} (codespace ${o.codespace}): ${o.log}`);
    this.signer = o.signer;
    this.abciCode = o.abciCode;
    this.codespace = o.codespace;
    this.log = o.log;
  }
}

/**
 * CheckTx refused the signer's sequence again after the sender re-read it and retried once:
 * someone else keeps signing with this account. Retrying later (with a fresh sequence) can work.
 */
export class SequenceMismatchError extends RetryableError {
  override readonly code = "ERR_SEQUENCE_MISMATCH";
  readonly signer: string;
  /** The sequence the chain expected, when its log said so. */
  readonly expected: number | undefined;
  /** The sequence the transaction carried. */
  readonly got: number;
  readonly log: string;
  constructor(o: { signer: string; expected: number | undefined; got: number; log: string }) {
    super(`sequence of ${o.signer} is still out of step after one retry (sent ${o.got}, chain expects ${o.expected ?? "?"}): ${o.log}; is another process signing with this account?`);
    this.signer = o.signer;
    this.expected = o.expected;
    this.got = o.got;
    this.log = o.log;
  }
}

/**
 * A broadcast transaction was not found in a block within the wait. Its outcome is unknown (it may
 * still be included): look it up again before sending a replacement, which would need the same
 * sequence.
 */
export class TxTimeoutError extends BotError {
  readonly txHash: string;
  readonly timeoutMs: number;
  constructor(txHash: string, timeoutMs: number, options?: { cause?: unknown }) {
    super("ERR_TX_TIMEOUT", `tx ${txHash} was broadcast but not found in a block within ${timeoutMs} ms; it may still be included: check it again before resending`, options);
    this.txHash = txHash;
    this.timeoutMs = timeoutMs;
  }
}

/** The account does not exist on the chain yet: it has never received funds, so it cannot sign. */
export class AccountMissingError extends UnrecoverableError {
  override readonly code = "ERR_ACCOUNT_MISSING";
  readonly address: string;
  constructor(address: string, log: string) {
    super(`account ${address} does not exist on the chain (${log}); send it some gas denom first (e.g. a top-up from the master account)`);
    this.address = address;
  }
}

/**
 * The sender's signer lease is gone (see `SignerLeases`): another process may sign with the
 * account now, so this one must not. Nothing was signed or sent; take another signer.
 */
export class SignerLeaseLostError extends BotError {
  readonly signer: string;
  constructor(signer: string) {
    super("ERR_SIGNER_LEASE_LOST", `the lease on signer ${signer} is lost; nothing was signed: take another signer`);
    this.signer = signer;
  }
}

/** cosmos-sdk `ErrWrongSequence` (codespace `sdk`, code 32). */
const WRONG_SEQUENCE = { codespace: "sdk", code: 32 };
const MISMATCH = /account sequence mismatch, expected (\d+), got (\d+)/;

/**
 * Whether an ABCI error is a sequence mismatch, and the sequence the chain expected when the log
 * says (cosmos-sdk's `SigVerificationDecorator`: "account sequence mismatch, expected 7, got 5").
 */
export function sequenceMismatch(r: { code: number; codespace: string; log: string }): { expected: number | undefined } | null {
  const m = MISMATCH.exec(r.log);
  if (!m && !(r.code === WRONG_SEQUENCE.code && r.codespace === WRONG_SEQUENCE.codespace)) return null;
  return { expected: m ? Number(m[1]) : undefined };
}
