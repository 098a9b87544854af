import type { AccessMeter } from "../state/journal.js";
import { sdkErrors, type AbciError } from "./errors.js";

/**
 * The devnet's deterministic gas schedule. A transaction's gas is a pure function of its body
 * and of the state its messages touch, so simulate (which cosmjs sends with an empty signature
 * and an empty fee) reports exactly what delivery will use on the same state:
 * - ante: `anteFlat` + `txSizePerByte` × (body bytes + `signerOverheadBytes`) + `sigVerify` per
 *   signer; the fee, signature and auth-info bytes are deliberately left out of the size;
 * - per message: `bankSendFlat` / `multiSendFlat` / `wasmExecuteFlat` + `wasmMsgPerByte` × msg
 *   bytes, plus every store and bank access the message makes, priced like the cosmos-sdk KV
 *   gas config (flat + per byte for reads, writes, deletes and iteration).
 */
export const GAS_SCHEDULE = {
  anteFlat: 25_000,
  txSizePerByte: 10,
  signerOverheadBytes: 150,
  sigVerify: 1_000,
  bankSendFlat: 15_000,
  multiSendFlat: 15_000,
  wasmExecuteFlat: 60_000,
  wasmMsgPerByte: 3,
  readFlat: 1_000,
  readPerByte: 3,
  writeFlat: 2_000,
  writePerByte: 30,
  deleteFlat: 1_000,
  iterNextFlat: 30,
} as const;

/** Raised by a {@link GasMeter} the moment consumption exceeds the limit (cosmos-sdk panics likewise). */
export class OutOfGasError extends Error {
  constructor(
    readonly location: string,
    readonly gasWanted: number,
    readonly gasUsed: number,
  ) {
    super(`out of gas in location: ${location}; gasWanted: ${gasWanted}, gasUsed: ${gasUsed}`);
    this.name = "OutOfGasError";
  }

  /** The ABCI error a real chain reports (code 11, codespace sdk). */
  toAbci(): AbciError {
    return sdkErrors.outOfGas(this.message);
  }
}

/**
 * Counts gas against a limit (`Infinity` for simulation). Doubles as the {@link AccessMeter} the
 * journal hands store and bank accesses to while a transaction's messages run.
 */
export class GasMeter implements AccessMeter {
  #used = 0;

  constructor(readonly limit: number) {}

  /** Gas consumed so far (may exceed the limit by the last charge, as cosmos-sdk reports it). */
  get used(): number {
    return this.#used;
  }

  /** Adds `amount` gas; throws {@link OutOfGasError} naming `location` once over the limit. */
  consume(amount: number, location: string): void {
    this.#used += amount;
    if (this.#used > this.limit) throw new OutOfGasError(location, this.limit, this.#used);
  }

  read(keyBytes: number, valueBytes: number): void {
    this.consume(GAS_SCHEDULE.readFlat, "ReadFlat");
    this.consume(GAS_SCHEDULE.readPerByte * (keyBytes + valueBytes), "ReadPerByte");
  }

  write(keyBytes: number, valueBytes: number): void {
    this.consume(GAS_SCHEDULE.writeFlat, "WriteFlat");
    this.consume(GAS_SCHEDULE.writePerByte * (keyBytes + valueBytes), "WritePerByte");
  }

  remove(_keyBytes: number): void {
    this.consume(GAS_SCHEDULE.deleteFlat, "Delete");
  }

  iterate(entries: number, bytes: number): void {
    this.consume(GAS_SCHEDULE.iterNextFlat * entries, "IterNextFlat");
    this.consume(GAS_SCHEDULE.readPerByte * bytes, "ValuePerByte");
  }
}

/** The ante handler's gas for a transaction with `bodyBytes` bytes of body and `signers` signers. */
export function anteGas(bodyBytes: number, signers: number): { size: number; sigs: number } {
  return {
    size: GAS_SCHEDULE.anteFlat + GAS_SCHEDULE.txSizePerByte * (bodyBytes + GAS_SCHEDULE.signerOverheadBytes * signers),
    sigs: GAS_SCHEDULE.sigVerify * signers,
  };
}
