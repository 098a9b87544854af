import { MsgMultiSend, MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { createHash } from "node:crypto";
import { protobufFields, protobufStringPair } from "@mlb/shared";
import type { Coin } from "../contracts/host.js";
import { decodeBech32 } from "../memo.js";
import { AbciError, sdkErrors, wasmErrors } from "./errors.js";

/** Type URLs of the messages the devnet executes. */
export const MSG_SEND = "/cosmos.bank.v1beta1.MsgSend";
export const MSG_MULTI_SEND = "/cosmos.bank.v1beta1.MsgMultiSend";
export const MSG_EXECUTE_CONTRACT = "/cosmwasm.wasm.v1.MsgExecuteContract";

/** A decoded message the devnet knows how to run. */
export type DecodedMsg =
  | { typeUrl: typeof MSG_SEND; value: MsgSend }
  | { typeUrl: typeof MSG_MULTI_SEND; value: MsgMultiSend }
  | { typeUrl: typeof MSG_EXECUTE_CONTRACT; value: MsgExecuteContract; json: unknown };

/** A transaction decoded and checked statelessly (what `ValidateBasic` covers). */
export interface DecodedTx {
  bytes: Uint8Array;
  /** sha256 of the bytes, upper-case hex (the CometBFT tx hash). */
  hash: string;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  signature: Uint8Array;
  msgs: DecodedMsg[];
  memo: string;
  timeoutHeight: bigint;
  /** The one address that signs every message. */
  signer: string;
  /** Compressed secp256k1 key from the signer info (may be absent once the account has one). */
  pubkey: Uint8Array | undefined;
  sequence: number;
  signMode: SignMode;
  fee: Coin[];
  gasLimit: number;
}

const MAX_MEMO_CHARACTERS = 256;
const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

/** The hash CometBFT gives a transaction: sha256 of its bytes, upper-case hex. */
export function txHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").toUpperCase();
}

/** Coins as cosmos-sdk prints them: `100uosmo,5uatom`. */
export function coinsString(coins: readonly Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(",");
}

/**
 * Decodes TxRaw bytes and runs the stateless checks of cosmos-sdk 0.50 (`ValidateBasic` of the tx
 * and of each message), throwing an {@link AbciError} with the real code and text. One signer per
 * transaction: every message must be signed by the same address.
 */
export function decodeTx(bytes: Uint8Array, prefix: string): DecodedTx {
  let raw: TxRaw, body: TxBody, authInfo: AuthInfo;
  try {
    raw = TxRaw.decode(bytes);
    body = TxBody.decode(raw.bodyBytes);
    authInfo = AuthInfo.decode(raw.authInfoBytes);
  } catch (err) {
    throw sdkErrors.txDecode((err as Error).message);
  }
  if (body.messages.length === 0) throw sdkErrors.invalidRequest("must contain at least one message");
  const msgs = body.messages.map((any) => decodeMsg(any.typeUrl, any.value, prefix));
  const signers = [...new Set(msgs.map(msgSigner))];
  if (signers.length !== 1) throw sdkErrors.notSupported(`the devnet takes one signer per transaction, got ${signers.length}`);
  if (raw.signatures.length === 0) throw sdkErrors.noSignatures();
  if (authInfo.signerInfos.length !== 1) throw sdkErrors.unauthorized(`wrong number of signers; expected 1, got ${authInfo.signerInfos.length}`);
  if (raw.signatures.length !== 1) throw sdkErrors.unauthorized(`wrong number of signatures; expected 1, got ${raw.signatures.length}`);
  if (body.memo.length > MAX_MEMO_CHARACTERS) {
    throw sdkErrors.memoTooLarge(`maximum number of characters is ${MAX_MEMO_CHARACTERS} but received ${body.memo.length} characters`);
  }
  const info = authInfo.signerInfos[0]!;
  let pubkey: Uint8Array | undefined;
  if (info.publicKey) {
    if (info.publicKey.typeUrl !== "/cosmos.crypto.secp256k1.PubKey") throw sdkErrors.invalidPubKey(`unsupported public key type ${info.publicKey.typeUrl}`);
    pubkey = PubKey.decode(info.publicKey.value).key;
    if (pubkey.length !== 33) throw sdkErrors.invalidPubKey(`invalid secp256k1 public key length ${pubkey.length}`);
  }
  const fee = (authInfo.fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: c.amount }));
  validateCoins(fee);
  const gasLimit = Number(authInfo.fee?.gasLimit ?? 0n);
  return {
    bytes,
    hash: txHash(bytes),
    bodyBytes: raw.bodyBytes,
    authInfoBytes: raw.authInfoBytes,
    signature: raw.signatures[0]!,
    msgs,
    memo: body.memo,
    timeoutHeight: body.timeoutHeight,
    signer: signers[0]!,
    pubkey,
    sequence: Number(info.sequence),
    signMode: info.modeInfo?.single?.mode ?? SignMode.SIGN_MODE_UNSPECIFIED,
    fee,
    gasLimit,
  };
}

function decodeMsg(typeUrl: string, value: Uint8Array, prefix: string): DecodedMsg {
  switch (typeUrl) {
    case MSG_SEND: {
      const msg = MsgSend.decode(value);
      validateAddress(msg.fromAddress, prefix, "from");
      validateAddress(msg.toAddress, prefix, "to");
      validateCoins(msg.amount, true);
      return { typeUrl, value: msg };
    }
    case MSG_MULTI_SEND: {
      const msg = MsgMultiSend.decode(value);
      if (msg.inputs.length !== 1) throw sdkErrors.invalidRequest("multiple senders not allowed");
      if (msg.outputs.length === 0) throw sdkErrors.invalidRequest("no outputs to send transaction");
      for (const io of [...msg.inputs, ...msg.outputs]) {
        validateAddress(io.address, prefix, "input/output");
        validateCoins(io.coins, true);
      }
      const sum = (list: { coins: Coin[] }[]) => {
        const m = new Map<string, bigint>();
        for (const { coins } of list) for (const c of coins) m.set(c.denom, (m.get(c.denom) ?? 0n) + BigInt(c.amount));
        return [...m.entries()].sort().map(([d, a]) => `${a}${d}`).join(",");
      };
      if (sum(msg.inputs) !== sum(msg.outputs)) throw new AbciError(3, "bank", "sum inputs != sum outputs");
      return { typeUrl, value: msg };
    }
    case MSG_EXECUTE_CONTRACT: {
      const msg = decodeExecuteContract(value);
      validateAddress(msg.sender, prefix, "sender");
      validateAddress(msg.contract, prefix, "contract");
      validateCoins(msg.funds);
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(msg.msg).toString("utf8"));
      } catch {
        throw wasmErrors.invalid("payload msg");
      }
      return { typeUrl, value: msg, json };
    }
    default:
      throw sdkErrors.txDecode(`unable to resolve type URL ${typeUrl}`);
  }
}

/**
 * `MsgExecuteContract` as cosmjs-types decodes it (sender = 1, contract = 2, msg = 3, funds = 5 of
 * `Coin` denom = 1, amount = 2; other fields skipped), strings read by node's native UTF-8 decoder:
 * the generated decoder's JavaScript one was the largest part of decoding a burst's transactions.
 */
export function decodeExecuteContract(bytes: Uint8Array): MsgExecuteContract {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const msg: MsgExecuteContract = { sender: "", contract: "", msg: new Uint8Array(), funds: [] };
  protobufFields(buf, 0, buf.length, (field, start, end) => {
    if (field === 1) msg.sender = buf.toString("utf8", start, end);
    else if (field === 2) msg.contract = buf.toString("utf8", start, end);
    else if (field === 3) msg.msg = new Uint8Array(buf.subarray(start, end));
    else if (field === 5) {
      const [denom, amount] = protobufStringPair(buf, start, end);
      msg.funds.push({ denom, amount });
    }
  });
  return msg;
}

function msgSigner(m: DecodedMsg): string {
  if (m.typeUrl === MSG_SEND) return m.value.fromAddress;
  if (m.typeUrl === MSG_MULTI_SEND) return m.value.inputs[0]!.address;
  return m.value.sender;
}

/** Why `address` is not a valid bech32 account address of this chain (undefined if it is). */
export function addressProblem(address: string, prefix: string): string | undefined {
  if (!address) return "empty address string is not allowed";
  try {
    const decoded = decodeBech32(address);
    if (decoded.prefix !== prefix) return `invalid Bech32 prefix; expected ${prefix}, got ${decoded.prefix}`;
    if (decoded.dataLength !== 20 && decoded.dataLength !== 32) return `address length must be 20 or 32 bytes, got ${decoded.dataLength}`;
    return undefined;
  } catch (err) {
    return `decoding bech32 failed: ${(err as Error).message}`;
  }
}

/** Checks a bech32 account address with the chain's prefix (`invalid <what> address`). */
export function validateAddress(address: string, prefix: string, what: string): void {
  const problem = addressProblem(address, prefix);
  if (problem) throw sdkErrors.invalidAddress(`invalid ${what} address: ${problem}`);
}

/** `Coins.Validate()`: valid denoms, positive amounts, sorted, no duplicates (and non-empty if required). */
export function validateCoins(coins: readonly Coin[], nonEmpty = false): void {
  const bad = () => sdkErrors.invalidCoins(coinsString(coins));
  if (nonEmpty && coins.length === 0) throw bad();
  let prev = "";
  for (const c of coins) {
    if (!DENOM.test(c.denom) || !/^\d+$/.test(c.amount) || BigInt(c.amount) <= 0n) throw bad();
    if (prev && c.denom <= prev) throw bad();
    prev = c.denom;
  }
}
