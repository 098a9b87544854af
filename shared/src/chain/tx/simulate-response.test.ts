import { SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { describe, expect, it } from "vitest";
import { decodeSimulateResponse } from "./simulate-response.js";

describe("decodeSimulateResponse", () => {
  it("reads the gas used and every event exactly as cosmjs-types decodes them", () => {
    const response = SimulateResponse.fromPartial({
      gasInfo: { gasWanted: 0n, gasUsed: 9_007_199_254_740_991n },
      result: {
        data: new Uint8Array([1, 2, 3]),
        log: "ok",
        events: [
          { type: "coin_spent", attributes: [{ key: "spender", value: "osmo1abc", index: true }, { key: "amount", value: "1000uosmo,5ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2" }, { key: "msg_index", value: "0" }] },
          { type: "wasm", attributes: [{ key: "note", value: "ünïcödé ✓ 流动性" }, { key: "", value: "" }] },
          { type: "empty", attributes: [] },
        ],
        msgResponses: [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContractResponse", value: new Uint8Array([10, 0]) }],
      },
    });
    const bytes = SimulateResponse.encode(response).finish();
    const expected = SimulateResponse.decode(bytes);
    expect(decodeSimulateResponse(bytes)).toEqual({
      gasUsed: Number(expected.gasInfo!.gasUsed),
      events: expected.result!.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
    });
    // A view into a larger buffer reads the same.
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 3);
    expect(decodeSimulateResponse(padded.subarray(3, 3 + bytes.length))).toEqual(decodeSimulateResponse(bytes));
    expect(decodeSimulateResponse(new Uint8Array())).toEqual({ gasUsed: 0, events: [] });
    // Only the events of the types asked for, those whole.
    const spent = decodeSimulateResponse(bytes, new Set(["coin_spent", "empty"]));
    expect(spent.events).toEqual(decodeSimulateResponse(bytes).events.filter((e) => e.type !== "wasm"));
    expect(spent.gasUsed).toBe(9_007_199_254_740_991);
  });

  it("refuses truncated input", () => {
    const bytes = SimulateResponse.encode(SimulateResponse.fromPartial({ result: { events: [{ type: "t", attributes: [{ key: "k", value: "v" }] }] } })).finish();
    expect(() => decodeSimulateResponse(bytes.subarray(0, bytes.length - 2))).toThrow(RangeError);
  });
});
