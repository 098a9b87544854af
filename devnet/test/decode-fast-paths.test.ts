import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { sha256 } from "@cosmjs/crypto";
import { BinaryWriter } from "cosmjs-types/binary";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { describe, expect, it } from "vitest";
import { decodeExecuteContract } from "../src/chain/tx-decode.js";
import { decodeBech32 } from "../src/memo.js";

/** What cosmjs decodes (or the error it throws) for `address`. */
function cosmjs(address: string): { prefix: string; dataLength: number } | "invalid" {
  try {
    const { prefix, data } = fromBech32(address, 256);
    return { prefix, dataLength: data.length };
  } catch {
    return "invalid";
  }
}

function ours(address: string): { prefix: string; dataLength: number } | "invalid" {
  try {
    return decodeBech32(address);
  } catch {
    return "invalid";
  }
}

describe("the devnet's own decoders agree with cosmjs", () => {
  it("bech32: prefix and data length of valid addresses, every one-character corruption rejected", () => {
    for (let i = 0; i < 300; i++) {
      const data = sha256(new TextEncoder().encode(`address ${i}`)).slice(0, [20, 32, 1, 5, 33][i % 5]);
      const address = toBech32(["osmo", "neutron", "a", "x1y"][i % 4]!, data);
      expect(ours(address)).toEqual(cosmjs(address));
      expect(ours(address)).toEqual({ prefix: ["osmo", "neutron", "a", "x1y"][i % 4], dataLength: data.length });
      const at = address.lastIndexOf("1") + 1 + (i % (address.length - address.lastIndexOf("1") - 1));
      const corrupt = address.slice(0, at) + (address[at] === "q" ? "p" : "q") + address.slice(at + 1);
      expect(ours(corrupt)).toBe("invalid");
      expect(cosmjs(corrupt)).toBe("invalid");
    }
    for (const odd of ["", "1", "osmo1", "OSMO1QQQSYQCYQ5RQWZQFPG9SCRGWPUGPZYSNZS23V7", "osmo1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v7", "osmo1b"]) {
      expect(ours(odd)).toEqual(cosmjs(odd));
    }
  });

  it("MsgExecuteContract: every field, funds, unicode, unknown fields skipped", () => {
    const messages: MsgExecuteContract[] = [
      { sender: "osmo1sender", contract: "osmo1contract", msg: new TextEncoder().encode('{"liquidate":{"user":"ünïcødé ✓"}}'), funds: [{ denom: "uosmo", amount: "12345" }, { denom: "ibc/498A0751C798A0D9A389AA3691123DADA57DAA4FE165D5C75894505B876BA6E4", amount: "1" }] },
      { sender: "", contract: "", msg: new Uint8Array(), funds: [] },
      { sender: "x".repeat(300), contract: "c", msg: new Uint8Array(5000).fill(123), funds: [{ denom: "", amount: "" }] },
    ];
    for (const m of messages) {
      const bytes = MsgExecuteContract.encode(m).finish();
      expect(decodeExecuteContract(bytes)).toEqual(MsgExecuteContract.decode(bytes));
    }
    // Unknown fields of every wire type (varint, fixed64, bytes, fixed32) are skipped as cosmjs-types does.
    const w = new BinaryWriter();
    w.uint32(10).string("osmo1s").uint32(32).uint64(7n).uint32(49).fixed64(9n).uint32(18).string("osmo1c").uint32(58).string("skip").uint32(69).fixed32(3).uint32(26).bytes(new Uint8Array([1, 2]));
    const bytes = w.finish();
    expect(decodeExecuteContract(bytes)).toEqual(MsgExecuteContract.decode(bytes));
    expect(() => decodeExecuteContract(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
  });
});
