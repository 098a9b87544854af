import { Bip39, EnglishMnemonic, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
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

/**
 * One single-key signer per HD account `0..count-1`, keys derived once. Signing with a
 * `DirectSecp256k1HdWallet` derives every account of the wallet again on each signature (costly
 * elliptic-curve work that, with many signers, dominates a liquidation burst); these do not.
 */
export async function keyedSigners(mnemonic: Secret, prefix: string, count: number): Promise<{ address: string; signer: DirectSecp256k1Wallet }[]> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic.reveal().trim().split(/\s+/).join(" ")));
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, hdPath(i));
      const signer = await DirectSecp256k1Wallet.fromKey(privkey, prefix);
      return { address: (await signer.getAccounts())[0]!.address, signer };
    }),
  );
}
