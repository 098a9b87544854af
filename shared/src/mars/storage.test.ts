import { describe, expect, it } from "vitest";
import { concatBytes, keyLength, mapKey, parsePairKey, parseSingleKey, parseUserIdKey, userIdKey } from "./storage.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const hexOf = (text: string): string => Buffer.from(text, "utf8").toString("hex");

// The illustrative 43-character address of spec §3.2: "osmo1" and 38 × "q".
const ADDR = `osmo1${"q".repeat(38)}`;
const ADDR_HEX = `6f736d6f31${"71".repeat(38)}`;
const UOSMO_HEX = "756f736d6f";

describe("mapKey against the examples of spec §3", () => {
  it("builds the debts key of a 43-character address and uosmo", () => {
    expect(hex(concatBytes(mapKey("debts", ADDR), "uosmo"))).toBe(`0005${"6465627473"}002b${ADDR_HEX}${UOSMO_HEX}`);
  });

  it("builds the colls key around the 66-byte UserIdKey JSON", () => {
    const json = `7b2261646472223a22${ADDR_HEX}222c226163635f6964223a22227d`; // {"addr":"<ADDR>","acc_id":""}
    expect(json.length / 2).toBe(66);
    expect(hex(concatBytes(mapKey("colls", userIdKey(ADDR)), "uosmo"))).toBe(`0005636f6c6c730042${json}${UOSMO_HEX}`);
  });

  it("builds the credit-manager debt-share key of account 1234 and uosmo", () => {
    expect(hex(concatBytes(mapKey("debt_shares", "1234"), "uosmo"))).toBe(`000b646562745f736861726573000431323334${UOSMO_HEX}`);
  });

  it("builds the markets key: one component, not length-prefixed", () => {
    expect(hex(concatBytes(mapKey("markets"), "uosmo"))).toBe(`00076d61726b657473${UOSMO_HEX}`);
  });

  it.each([
    ["debts", "AAVkZWJ0cw==", "00056465627473"],
    ["colls", "AAVjb2xscw==", "0005636f6c6c73"],
  ])("pages %s from the prefix %s", (ns, base64, prefixHex) => {
    expect(Buffer.from(mapKey(ns)).toString("base64")).toBe(base64);
    expect(hex(mapKey(ns))).toBe(prefixHex);
  });

  it("length-prefixes every given component by its UTF-8 byte length", () => {
    expect(hex(mapKey("ns", "ab", "é"))).toBe(`00026e73${"0002"}6162${"0002"}c3a9`);
  });
});

describe("keyLength", () => {
  it.each([
    [0, [0x00, 0x00]],
    [43, [0x00, 0x2b]],
    [66, [0x00, 0x42]],
    [0x1234, [0x12, 0x34]],
    [0xffff, [0xff, 0xff]],
  ])("%i → %j (u16 big-endian)", (n, bytes) => {
    expect([...keyLength(n)]).toEqual(bytes);
  });

  it.each([0x10000, -1, 1.5, Number.NaN])("rejects %d, which does not fit a u16", (n) => {
    expect(() => keyLength(n)).toThrow(new RangeError(`storage key component of ${n} bytes does not fit a u16 length`));
  });
});

describe("concatBytes", () => {
  it("joins bytes and UTF-8 texts in order", () => {
    expect([...concatBytes(Uint8Array.of(1, 2), "ab", new Uint8Array(0), "é", Uint8Array.of(0xff))]).toEqual([1, 2, 0x61, 0x62, 0xc3, 0xa9, 0xff]);
  });

  it("gives an empty key for no parts", () => {
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });

  it("copies: changing a part afterwards leaves the result alone", () => {
    const part = Uint8Array.of(1, 2);
    const joined = concatBytes(part, part);
    part[0] = 9;
    expect([...joined]).toEqual([1, 2, 1, 2]);
  });
});

describe("parsePairKey", () => {
  const CM = `osmo1${"c".repeat(58)}`;
  it.each([
    ["debts", ADDR, "uosmo"],
    ["debts", ADDR, "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"],
    ["debts", ADDR, `factory/${CM}/umars`],
    ["colls", userIdKey(ADDR), "uosmo"],
    ["colls", userIdKey(CM, "42"), "uatom"],
    ["debt_shares", "1234", "uosmo"],
    ["coin_balance", "7", "uusdc"],
  ])("%s: reads back (%s, %s)", (ns, k1, k2) => {
    expect(parsePairKey(ns, concatBytes(mapKey(ns, k1), k2))).toEqual([k1, k2]);
  });

  const debtKey = concatBytes(mapKey("debts", ADDR), "uosmo");
  it.each([
    ["another namespace of the same length", "colls", debtKey],
    ["another namespace of another length", "debt_shares", debtKey],
    ["a namespace that is a prefix of the key's", "debt", debtKey],
    ["a key of an Item (no 0x00 length prefix)", "debts", new TextEncoder().encode("contract_info")],
    ["a key cut inside the namespace", "debts", debtKey.subarray(0, 5)],
    ["a key cut before the first component's length", "debts", debtKey.subarray(0, 8)],
    ["a key cut inside the first component", "debts", debtKey.subarray(0, 2 + 5 + 2 + 42)],
    ["a first component that is not UTF-8", "debts", concatBytes(mapKey("debts"), keyLength(2), Uint8Array.of(0xc3, 0x28), "uosmo")],
    ["a last component that is not UTF-8", "debts", concatBytes(mapKey("debts", ADDR), Uint8Array.of(0x75, 0xff))],
  ])("null for %s", (_case, ns, key) => {
    expect(parsePairKey(ns, key)).toBeNull();
  });
});

describe("parseSingleKey", () => {
  it.each([
    ["markets", "uosmo"],
    ["markets", "ibc/498A0751C798A0D9A389AA3691123DADA57DAA4FE165D5C75894505B876BA6E4"],
    ["account_types", "1234"],
    ["total_debt_shares", "uusdc"],
  ])("%s: reads back %s", (ns, k) => {
    expect(parseSingleKey(ns, concatBytes(mapKey(ns), k))).toBe(k);
  });

  it.each([
    ["another namespace of the same length", "marketz", concatBytes(mapKey("markets"), "uosmo")],
    ["another namespace of another length", "debts", concatBytes(mapKey("markets"), "uosmo")],
    ["a key shorter than the prefix", "markets", mapKey("markets").subarray(0, 6)],
    ["a component that is not UTF-8", "markets", concatBytes(mapKey("markets"), Uint8Array.of(0xe2, 0x82))],
  ])("null for %s", (_case, ns, key) => {
    expect(parseSingleKey(ns, key)).toBeNull();
  });
});

describe("UserIdKey", () => {
  it("is the compact JSON with addr first, then acc_id (empty for a Red Bank user)", () => {
    expect(userIdKey(ADDR)).toBe(`{"addr":"${ADDR}","acc_id":""}`);
    expect(userIdKey(ADDR)).toHaveLength(66);
  });

  it("carries the account id of a credit-manager lend", () => {
    expect(userIdKey("osmo1cm", "42")).toBe('{"addr":"osmo1cm","acc_id":"42"}');
  });

  it.each([
    [ADDR, ""],
    ["osmo1cm", "42"],
  ])("parses back %s / %j", (addr, accountId) => {
    expect(parseUserIdKey(userIdKey(addr, accountId))).toEqual({ addr, accountId });
  });

  it("parses the bytes a scan reads from a colls key", () => {
    const [user, denom] = parsePairKey("colls", concatBytes(mapKey("colls", userIdKey(ADDR)), "uosmo"))!;
    expect(parseUserIdKey(user)).toEqual({ addr: ADDR, accountId: "" });
    expect(denom).toBe("uosmo");
  });

  it.each([
    ["not JSON", "{addr"],
    ["JSON null", "null"],
    ["an array", "[]"],
    ["a string", '"osmo1"'],
    ["no acc_id", '{"addr":"osmo1"}'],
    ["no addr", '{"acc_id":""}'],
    ["a numeric addr", '{"addr":1,"acc_id":""}'],
    ["a numeric acc_id", '{"addr":"osmo1","acc_id":42}'],
  ])("null for %s", (_case, text) => {
    expect(parseUserIdKey(text)).toBeNull();
  });
});
