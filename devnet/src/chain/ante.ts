import { toBase64 } from "@cosmjs/encoding";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { mulCeil } from "../math/decimal.js";
import { InsufficientFundsError } from "../state/bank.js";
import type { ChainEvent } from "../state/world.js";
import { pubkeyToAddress } from "./accounts.js";
import type { ExecContext, PendingView } from "./context.js";
import { sdkErrors } from "./errors.js";
import { anteGas, type GasMeter } from "./gas.js";
import { directSignBytes, verifySecp256k1 } from "./signature.js";
import { coinsString, type DecodedTx } from "./tx-decode.js";

/**
 * How the ante handler runs: `check` validates against committed state plus the mempool (no
 * writes), `simulate` too (cosmos-sdk simulates on its check state, where the mempool's txs
 * already moved sequences and fees) without the minimum-fee and signature checks (cosmjs
 * simulates with an empty signature and no fee), `deliver` does everything and writes fee, public
 * key and sequence.
 */
export type AnteMode = "check" | "simulate" | "deliver";

/** Options of {@link runAnte}. */
export interface AnteOptions {
  /** CheckTx and simulate: the mempool's pending sequences and fees. */
  pending?: PendingView;
  /** The signature was verified when the tx entered the mempool (its sign bytes cannot change since). */
  verified?: boolean;
}

/**
 * The cosmos-sdk 0.50 ante chain in its order (timeout height, tx size gas, fee check and
 * deduction, set pubkey, signature gas, sequence and signature verification, sequence increment),
 * returning the events it emits. Throws an AbciError (or OutOfGasError) on the first failure; the
 * caller runs it inside a journal transaction so a failure leaves no trace.
 */
export function runAnte(ctx: ExecContext, tx: DecodedTx, mode: AnteMode, meter: GasMeter, options: AnteOptions = {}): ChainEvent[] {
  const height = ctx.world.block.height;
  if (tx.timeoutHeight > 0n && BigInt(height) > tx.timeoutHeight) {
    throw sdkErrors.txTimeoutHeight(`block height: ${height}, timeout height: ${tx.timeoutHeight}`);
  }
  const gas = anteGas(tx.bodyBytes.length, 1);
  meter.consume(gas.size, "txSize");

  const events: ChainEvent[] = [];
  const account = ctx.accounts.get(tx.signer);
  if (!account) throw sdkErrors.unknownAddress(`fee payer address: ${tx.signer} does not exist`);
  if (mode === "check" && ctx.minGasPrice > 0n) {
    const required = mulCeil(BigInt(tx.gasLimit), ctx.minGasPrice);
    const paid = BigInt(tx.fee.find((c) => c.denom === ctx.gasDenom)?.amount ?? "0");
    if (paid < required) throw sdkErrors.insufficientFee(`insufficient fees; got: ${coinsString(tx.fee)} required: ${required}${ctx.gasDenom}`);
  }
  if (tx.fee.length > 0) deductFee(ctx, tx, mode, options.pending, events);
  events.push(attrs("tx", { fee: coinsString(tx.fee), fee_payer: tx.signer }));

  const pubkey = account.pubkey ?? tx.pubkey;
  if (!account.pubkey && tx.pubkey && pubkeyToAddress(ctx.prefix, tx.pubkey) !== tx.signer) {
    throw sdkErrors.invalidPubKey(`pubKey does not match signer address ${tx.signer} with signer index: 0`);
  }
  events.push(attrs("tx", { acc_seq: `${tx.signer}/${tx.sequence}` }));
  events.push(attrs("tx", { signature: toBase64(tx.signature) }));
  meter.consume(gas.sigs, "ante verify: secp256k1");

  const expected = (mode !== "deliver" ? options.pending?.sequence(tx.signer) : undefined) ?? account.sequence;
  if (tx.sequence !== expected) throw sdkErrors.wrongSequence(`account sequence mismatch, expected ${expected}, got ${tx.sequence}`);
  if (mode !== "simulate" && !options.verified) {
    if (!pubkey) throw sdkErrors.invalidPubKey("pubkey on account is not set");
    if (tx.signMode !== SignMode.SIGN_MODE_DIRECT) throw sdkErrors.notSupported("the devnet verifies SIGN_MODE_DIRECT signatures only");
    const signBytes = directSignBytes(tx.bodyBytes, tx.authInfoBytes, ctx.chainId, account.accountNumber);
    if (!verifySecp256k1(pubkey, signBytes, tx.signature)) {
      throw sdkErrors.unauthorized(`signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.chainId})`);
    }
  }
  if (mode !== "check") ctx.accounts.update(tx.signer, { pubkey: tx.pubkey, incrementSequence: true });
  return events;
}

function deductFee(ctx: ExecContext, tx: DecodedTx, mode: AnteMode, pending: PendingView | undefined, events: ChainEvent[]): void {
  if (mode === "check") {
    // CheckTx: the fee must be covered after the fees of the signer's txs already in the mempool.
    for (const c of tx.fee) {
      const available = ctx.world.bank.balance(tx.signer, c.denom) - (pending?.fee(tx.signer, c.denom) ?? 0n);
      if (available < BigInt(c.amount)) {
        const have = available < 0n ? 0n : available;
        throw sdkErrors.insufficientFunds(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}: insufficient funds`);
      }
    }
    return;
  }
  try {
    ctx.world.bankSend(tx.signer, ctx.feeCollector, tx.fee, events);
  } catch (err) {
    if (err instanceof InsufficientFundsError) throw sdkErrors.insufficientFunds(err.message);
    throw err;
  }
}

/** An event with string attributes, in the given order. */
export function attrs(type: string, attributes: Record<string, string>): ChainEvent {
  return { type, attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })) };
}
