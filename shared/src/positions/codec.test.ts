import { describe, expect, it } from "vitest";
import {
  MalformedPositionError,
  decodeCreditAccount,
  decodeRedBankPosition,
  encodeCreditAccount,
  encodeRedBankPosition,
  splitCacheValue,
  type CachedCreditAccount,
  type CachedRedBankPosition,
} from "./codec.js";

const U128_MAX = 340282366920938463463374607431768211455n;
const IBC_ATOM = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2";

/** The error `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a throw, got none");
}

describe("Red Bank positions", () => {
  const position: CachedRedBankPosition = {
    collaterals: [
      { denom: "uosmo", amountScaled: 2_000_000n, enabled: true },
      { denom: IBC_ATOM, amountScaled: 5n, enabled: false },
    ],
    debts: [
      { denom: "uusdc", amountScaled: 123n, uncollateralized: false },
      { denom: "uatom", amountScaled: U128_MAX, uncollateralized: false },
    ],
  };

  it("encodes to the exact payload, entries sorted by denom, amounts as strings, enabled as 0|1", () => {
    expect(encodeRedBankPosition(position)).toBe(
      `{"c":[["${IBC_ATOM}","5",0],["uosmo","2000000",1]],"d":[["uatom","${U128_MAX}"],["uusdc","123"]]}`,
    );
  });

  it("encodes an empty position", () => {
    expect(encodeRedBankPosition({ collaterals: [], debts: [] })).toBe('{"c":[],"d":[]}');
  });

  it("leaves the caller's lists in their order", () => {
    encodeRedBankPosition(position);
    expect(position.collaterals.map((c) => c.denom)).toEqual(["uosmo", IBC_ATOM]);
    expect(position.debts.map((d) => d.denom)).toEqual(["uusdc", "uatom"]);
  });

  it("decodes back to the position, sorted by denom, u128 amounts exact", () => {
    expect(decodeRedBankPosition("osmo1a", encodeRedBankPosition(position))).toEqual({
      collaterals: [
        { denom: IBC_ATOM, amountScaled: 5n, enabled: false },
        { denom: "uosmo", amountScaled: 2_000_000n, enabled: true },
      ],
      debts: [
        { denom: "uatom", amountScaled: U128_MAX, uncollateralized: false },
        { denom: "uusdc", amountScaled: 123n, uncollateralized: false },
      ],
    });
  });

  it("encodes the same position the same way whatever the input order", () => {
    const reversed = { collaterals: [...position.collaterals].reverse(), debts: [...position.debts].reverse() };
    expect(encodeRedBankPosition(reversed)).toBe(encodeRedBankPosition(position));
  });
});

describe("credit accounts", () => {
  const account: CachedCreditAccount = {
    kind: "high_levered_strategy",
    deposits: [
      { denom: "uosmo", amount: 10n },
      { denom: "uatom", amount: 3n },
    ],
    lendsScaled: [{ denom: "uusdc", amount: U128_MAX }],
    debtShares: [],
  };

  it("encodes to the exact payload, entries sorted by denom", () => {
    expect(encodeCreditAccount(account)).toBe(`{"k":"high_levered_strategy","dp":[["uatom","3"],["uosmo","10"]],"l":[["uusdc","${U128_MAX}"]],"ds":[]}`);
  });

  it.each(["default", "high_levered_strategy"] as const)("decodes back a %s account", (kind) => {
    const a: CachedCreditAccount = { ...account, kind, debtShares: [{ denom: "uosmo", amount: 99n }, { denom: IBC_ATOM, amount: 1n }] };
    expect(decodeCreditAccount("1234", encodeCreditAccount(a))).toEqual({
      kind,
      deposits: [
        { denom: "uatom", amount: 3n },
        { denom: "uosmo", amount: 10n },
      ],
      lendsScaled: [{ denom: "uusdc", amount: U128_MAX }],
      debtShares: [
        { denom: IBC_ATOM, amount: 1n },
        { denom: "uosmo", amount: 99n },
      ],
    });
  });
});

describe("splitCacheValue", () => {
  it.each([
    ["100|{}", 100, "{}"],
    ["0|x", 0, "x"],
    ["123456789|a|b", 123456789, "a|b"],
    ["7|", 7, ""],
  ])("%s → height %i, payload %j", (value, height, payload) => {
    expect(splitCacheValue("osmo1a", value)).toEqual({ height, payload });
  });

  it.each([
    ["no bar", "100{}"],
    ["an empty height", "|{}"],
    ["a height that is no number", "abc|{}"],
    ["a height beyond 2^53", "9007199254740993|{}"],
  ])("rejects a value with %s", (_case, value) => {
    const err = thrown(() => splitCacheValue("osmo1a", value));
    expect(err).toBeInstanceOf(MalformedPositionError);
    expect(err.name).toBe("MalformedPositionError");
    expect(err.message).toBe("cached position of osmo1a is malformed: value does not start with <height>|");
  });
});

describe("MalformedPositionError", () => {
  it.each([
    ["not JSON", "{c:", "payload is not JSON"],
    ["JSON null", "null", "payload is not an object"],
    ["a JSON array", "[]", "payload is not an object"],
    ["a JSON number", "42", "payload is not an object"],
    ["a JSON string", '"c"', "payload is not an object"],
    ["no collateral list", '{"d":[]}', "c is not a list"],
    ["no debt list", '{"c":[]}', "d is not a list"],
    ["a list that is an object", '{"c":{},"d":[]}', "c is not a list"],
    ["an entry that is no list", '{"c":[],"d":["uosmo"]}', 'd has a bad entry "uosmo"'],
    ["an entry without amount", '{"c":[["uosmo"]],"d":[]}', 'c has a bad entry ["uosmo"]'],
    ["a numeric denom", '{"c":[],"d":[[1,"2"]]}', 'd has a bad entry [1,"2"]'],
    ["a numeric amount", '{"c":[],"d":[["uosmo",2]]}', 'd has a bad entry ["uosmo",2]'],
    ["a negative amount", '{"c":[],"d":[["uosmo","-2"]]}', 'd has a bad entry ["uosmo","-2"]'],
    ["a decimal amount", '{"c":[["uosmo","1.5",1]],"d":[]}', 'c has a bad entry ["uosmo","1.5",1]'],
    ["an exponent amount", '{"c":[],"d":[["uosmo","1e3"]]}', 'd has a bad entry ["uosmo","1e3"]'],
    ["an empty amount", '{"c":[],"d":[["uosmo",""]]}', 'd has a bad entry ["uosmo",""]'],
  ])("Red Bank payload with %s", (_case, payload, reason) => {
    const err = thrown(() => decodeRedBankPosition("osmo1a", payload));
    expect(err).toBeInstanceOf(MalformedPositionError);
    expect(err.message).toBe(`cached position of osmo1a is malformed: ${reason}`);
  });

  it.each([
    ["not JSON", "", "payload is not JSON"],
    ["a JSON array", '[{"k":"default"}]', "payload is not an object"],
    ["no kind", '{"dp":[],"l":[],"ds":[]}', "unknown account kind undefined"],
    ["an unknown kind", '{"k":"usdc_margin","dp":[],"l":[],"ds":[]}', 'unknown account kind "usdc_margin"'],
    ["a fund-manager kind", '{"k":{"fund_manager":{"vault_addr":"osmo1v"}},"dp":[],"l":[],"ds":[]}', 'unknown account kind {"fund_manager":{"vault_addr":"osmo1v"}}'],
    ["no deposit list", '{"k":"default","l":[],"ds":[]}', "dp is not a list"],
    ["no lend list", '{"k":"default","dp":[],"ds":[]}', "l is not a list"],
    ["no debt-share list", '{"k":"default","dp":[],"l":[]}', "ds is not a list"],
    ["a bad entry", '{"k":"default","dp":[],"l":[["uosmo"]],"ds":[]}', 'l has a bad entry ["uosmo"]'],
    ["a non-digit amount", '{"k":"default","dp":[],"l":[],"ds":[["uosmo","0x10"]]}', 'ds has a bad entry ["uosmo","0x10"]'],
  ])("credit-account payload with %s", (_case, payload, reason) => {
    const err = thrown(() => decodeCreditAccount("1234", payload));
    expect(err).toBeInstanceOf(MalformedPositionError);
    expect(err.message).toBe(`cached position of 1234 is malformed: ${reason}`);
  });
});
