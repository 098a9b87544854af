import { encodeSecp256k1Pubkey, rawSecp256k1PubkeyToRawAddress, type StdSignature } from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, makeSignBytes, type AccountData, type DirectSignResponse, type OfflineDirectSigner } from "@cosmjs/proto-signing";
import type { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { createHash } from "node:crypto";
import type { Secret } from "../config/secret.js";

/** Bech32 account prefix of each supported chain. */
export const CHAIN_PREFIXES = { osmosis: "osmo", neutron: "neutron" } as const;

/**
 * Checks a mnemonic without ever quoting it: cosmjs' own errors name the offending word, which
 * would leak part of the secret into logs. Returns a problem description or undefined.
 */
export function mnemonicProblem(mnemonic: string): string | undefined {
  const words = mnemonic.trim().split(/\s+/);
  if (![12, 15, 18, 21, 24].includes(words.length)) return `expected 12, 15, 18, 21 or 24 words, got ${words.length}`;
  try {
    new EnglishMnemonic(words.join(" "));
    return undefined;
  } catch (err) {
    return /checksum/i.test((err as Error).message) ? "invalid BIP-39 checksum" : "contains a word that is not in the BIP-39 English list";
  }
}

/** The cosmoshub HD path of account `index` (m/44'/118'/0'/0/index); index 0 is the master. */
export function hdPath(index: number) {
  return stringToPath(`m/44'/118'/0'/0/${index}`);
}

/**
 * Derives the wallet holding HD accounts `0..count-1` of the mnemonic. Index 0 is the master
 * account (gas top-ups, sweeps); workers sign from 1 upwards.
 */
export async function walletFromMnemonic(mnemonic: Secret, prefix: string, count: number): Promise<DirectSecp256k1HdWallet> {
  const hdPaths = Array.from({ length: count }, (_, i) => hdPath(i));
  return DirectSecp256k1HdWallet.fromMnemonic(mnemonic.reveal().trim().split(/\s+/).join(" "), { prefix, hdPaths });
}

/** Throwaway signatures made once per process (about 0.1 s). */
const WARM_UP_SIGNATURES = 300;

/**
 * One single-key signer per HD account `0..count-1`, keys derived once. Signing with a
 * `DirectSecp256k1HdWallet` derives every account of the wallet again on each signature (costly
 * elliptic-curve work that, with many signers, dominates a liquidation burst); these do not.
 */
export async function keyedSigners(mnemonic: Secret, prefix: string, count: number): Promise<{ address: string; signer: KeySigner }[]> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic.reveal().trim().split(/\s+/).join(" ")));
  // Signing runs cold JavaScript at first (about 1 ms a signature against 0.3 ms once optimised):
  // throwaway signatures now keep that cost out of the first burst of liquidations.
  const warmKey = Slip10.derivePath(Slip10Curve.Secp256k1, seed, hdPath(0)).privkey;
  for (let i = 0; i < WARM_UP_SIGNATURES; i++) Secp256k1.createSignature(createHash("sha256").update(String(i)).digest(), warmKey);
  return Array.from({ length: count }, (_, i) => {
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, hdPath(i));
    const signer = new KeySigner(privkey, Secp256k1.compressPubkey(Secp256k1.makeKeypair(privkey).pubkey), prefix);
    return { address: signer.address, signer };
  });
}

/**
 * SIGN_MODE_DIRECT signatures (RFC 6979, low S, as cosmjs' `DirectSecp256k1Wallet` makes them)
 * with the address computed once: cosmjs' wallet hashes the public key into its address again on
 * every signature, a sixth of a liquidation burst's signing time.
 */
export class KeySigner implements OfflineDirectSigner {
  readonly address: string;
  readonly #privkey: Uint8Array;
  readonly #accounts: readonly AccountData[];
  /** The public key as a signature carries it (base64 in JavaScript on every signature otherwise). */
  readonly #pubkey: StdSignature["pub_key"];

  constructor(privkey: Uint8Array, compressedPubkey: Uint8Array, prefix: string) {
    this.#privkey = privkey;
    this.address = toBech32(prefix, rawSecp256k1PubkeyToRawAddress(compressedPubkey));
    this.#accounts = [{ address: this.address, algo: "secp256k1", pubkey: compressedPubkey }];
    this.#pubkey = encodeSecp256k1Pubkey(compressedPubkey);
  }

  async getAccounts(): Promise<readonly AccountData[]> {
    return this.#accounts;
  }

  async signDirect(address: string, signDoc: SignDoc): Promise<DirectSignResponse> {
    if (address !== this.address) throw new Error(`this signer holds the key of ${this.address}, not ${address}`);
    const hash = createHash("sha256").update(makeSignBytes(signDoc)).digest();
    const sig = Secp256k1.createSignature(hash, this.#privkey);
    return { signed: signDoc, signature: { pub_key: this.#pubkey, signature: Buffer.concat([sig.r(32), sig.s(32)]).toString("base64") } };
  }
}
