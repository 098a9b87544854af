import { SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { describe, expect, it } from "vitest";
import { encodeSimulateResponse } from "../src/chain/simulate-encode.js";
import type { ChainEvent } from "../src/state/world.js";

/** What cosmjs-types' generated encoder writes for the same answer. */
function generated(gasWanted: bigint, gasUsed: bigint, data: Uint8Array, events: ChainEvent[], msgResponses: { typeUrl: string; value: Uint8Array }[]): Uint8Array {
  return SimulateResponse.encode({
    gasInfo: { gasWanted, gasUsed },
    result: { data, log: "", events: events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ ...a, index: true })) })), msgResponses },
  }).finish();
}

describe("encodeSimulateResponse", () => {
  it("writes the bytes of the generated encoder, byte for byte", () => {
    const long = "x".repeat(300); // two-byte lengths
    const events: ChainEvent[] = [
      { type: "coin_spent", attributes: [{ key: "spender", value: "osmo1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v7" }, { key: "amount", value: "123ibc/498A0751C798A0D9A389AA3691123DADA57DAA4FE165D5C75894505B876BA6E4" }, { key: "msg_index", value: "0" }] },
      { type: "wasm", attributes: [{ key: "_contract_address", value: long }, { key: "empty", value: "" }, { key: "", value: "no key" }, { key: "note", value: "ünïcødé ✓ 🚀" }] },
      { type: "message", attributes: [] },
    ];
    const cases: [bigint, bigint, Uint8Array, ChainEvent[], { typeUrl: string; value: Uint8Array }[]][] = [
      [18446744073709551615n, 712_345n, new Uint8Array(), events, [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContractResponse", value: new Uint8Array([10, 2, 1, 2]) }]],
      [0n, 0n, new Uint8Array([1, 2, 3]), [], []],
      [1n, 127n, new Uint8Array(200), events.slice(0, 1), [{ typeUrl: "/x", value: new Uint8Array() }]],
      [128n, 2n ** 53n + 1n, new Uint8Array(), Array.from({ length: 150 }, (_, i) => ({ type: `t${i}`, attributes: [{ key: "k", value: String(i) }] })), []],
    ];
    for (const c of cases) expect(Buffer.from(encodeSimulateResponse(...c)).toString("hex")).toBe(Buffer.from(generated(...c)).toString("hex"));
  });

  it("decodes back to the answer", () => {
    const events: ChainEvent[] = [{ type: "transfer", attributes: [{ key: "recipient", value: "osmo1abc" }, { key: "amount", value: "5uosmo" }] }];
    const decoded = SimulateResponse.decode(encodeSimulateResponse(300_000n, 123_456n, new Uint8Array(), events, []));
    expect(decoded.gasInfo).toEqual({ gasWanted: 300_000n, gasUsed: 123_456n });
    expect(decoded.result?.events).toEqual([{ type: "transfer", attributes: [{ key: "recipient", value: "osmo1abc", index: true }, { key: "amount", value: "5uosmo", index: true }] }]);
  });
});
