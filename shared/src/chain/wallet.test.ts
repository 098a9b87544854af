import { DirectSecp256k1HdWallet, makeSignDoc } from "@cosmjs/proto-signing";
import { describe, expect, it } from "vitest";
import { Secret } from "../config/secret.js";
import { hdPath, keyedSigners } from "./wallet.js";

const MNEMONIC = "notice oak worry limit wrap speak medal online prefer cluster roof addict wrist behave treat actual wasp year salad speed social layer crew genius";

describe("keyedSigners", () => {
  it("gives each HD account's address and signs exactly as cosmjs' HD wallet does", async () => {
    const hd = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "osmo", hdPaths: [0, 1, 2].map(hdPath) });
    const expected = await hd.getAccounts();
    const signers = await keyedSigners(new Secret(MNEMONIC), "osmo", 3);
    expect(signers.map((s) => s.address)).toEqual(expected.map((a) => a.address));
    const doc = makeSignDoc(new Uint8Array([10, 3, 1, 2, 3]), new Uint8Array([18, 2, 7, 7]), "osmosis-1", 42);
    for (const [i, { signer, address }] of signers.entries()) {
      expect((await signer.getAccounts())[0]!.pubkey).toEqual(expected[i]!.pubkey);
      expect(await signer.signDirect(address, doc)).toEqual(await hd.signDirect(address, doc));
    }
    await expect(signers[0]!.signer.signDirect(signers[1]!.address, doc)).rejects.toThrow(/holds the key of/);
  });
});

