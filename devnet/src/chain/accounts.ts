import { ripemd160, sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Journal } from "../state/journal.js";
import { memoize } from "../memo.js";

/** An auth account as x/auth keeps it (every account is a BaseAccount in the devnet). */
export interface AuthAccount {
  address: string;
  accountNumber: number;
  sequence: number;
  /** Compressed secp256k1 key, set by the account's first signed transaction. */
  pubkey: Uint8Array | undefined;
}

interface SignerState {
  sequence: number;
  pubkey: Uint8Array | undefined;
}

/**
 * x/auth's account keeper: account numbers are handed out in order as accounts come into being
 * (genesis holders, then first receipt of funds), sequences and public keys change only through
 * signed transactions. Memory is one map entry per account plus one per account that ever signed.
 * Every change is journaled, so an account created inside a failed transaction disappears again.
 */
export class AccountKeeper {
  readonly #numbers = new Map<string, number>();
  readonly #signers = new Map<string, SignerState>();
  readonly #journal: Journal;
  #next = 0;

  constructor(journal: Journal) {
    this.#journal = journal;
  }

  /** Number of accounts. */
  get size(): number {
    return this.#numbers.size;
  }

  has(address: string): boolean {
    return this.#numbers.has(address);
  }

  /** Creates the account if it does not exist yet; returns its account number. */
  ensure(address: string): number {
    const existing = this.#numbers.get(address);
    if (existing !== undefined) return existing;
    const number = this.#next++;
    this.#numbers.set(address, number);
    this.#journal.record(() => {
      this.#numbers.delete(address);
      this.#next--;
    });
    return number;
  }

  get(address: string): AuthAccount | undefined {
    const accountNumber = this.#numbers.get(address);
    if (accountNumber === undefined) return undefined;
    const s = this.#signers.get(address);
    return { address, accountNumber, sequence: s?.sequence ?? 0, pubkey: s?.pubkey };
  }

  /** Sets the public key (first signed tx) and increments the sequence, journaled. */
  update(address: string, change: { pubkey?: Uint8Array; incrementSequence?: boolean }): void {
    const prev = this.#signers.get(address);
    const next: SignerState = {
      sequence: (prev?.sequence ?? 0) + (change.incrementSequence ? 1 : 0),
      pubkey: prev?.pubkey ?? change.pubkey,
    };
    this.#signers.set(address, next);
    this.#journal.record(() => (prev ? this.#signers.set(address, prev) : this.#signers.delete(address)));
  }
}

/** bech32(prefix, ripemd160(sha256(pubkey))): the address of a secp256k1 key, as cosmos-sdk derives it. */
export function pubkeyToAddress(prefix: string, compressedPubkey: Uint8Array): string {
  return keyAddress(`${prefix}:${Buffer.from(compressedPubkey).toString("hex")}`);
}

/** By `prefix:hex key`: until its first transaction is in a block, every check of an account derives it again. */
const keyAddress = memoize((id: string) => {
  const [prefix, hex] = id.split(":") as [string, string];
  return toBech32(prefix, ripemd160(sha256(Buffer.from(hex, "hex"))));
});

/** The address of a module account: the first 20 bytes of sha256(name) (`authtypes.NewModuleAddress`). */
export function moduleAddress(prefix: string, name: string): string {
  return toBech32(prefix, sha256(new TextEncoder().encode(name)).slice(0, 20));
}

/** The account as the `Any` an auth `Account` query returns (`/cosmos.auth.v1beta1.BaseAccount`). */
export function encodeBaseAccount(account: AuthAccount): Any {
  const base = BaseAccount.fromPartial({
    address: account.address,
    accountNumber: BigInt(account.accountNumber),
    sequence: BigInt(account.sequence),
    pubKey: account.pubkey ? { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: account.pubkey }).finish() } : undefined,
  });
  return { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(base).finish() };
}
