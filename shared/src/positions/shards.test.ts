import { describe, expect, it } from "vitest";
import { compareBytes, prefixEnd } from "../chain/keys.js";
import { concatBytes, mapKey, userIdKey } from "../mars/storage.js";
import { BECH32_DATA_CHARS, MAX_SHARDS, RedBankShards, creditAccountShard, type KeyRange } from "./shards.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const hexOf = (text: string): string => Buffer.from(text, "utf8").toString("hex");

/** mulberry32: a small deterministic generator, so every run checks the same addresses. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dataChars(next: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += BECH32_DATA_CHARS[Math.floor(next() * BECH32_DATA_CHARS.length)];
  return s;
}

/** A standard account address of `hrp`: hrp, "1", 38 data characters (32 for 20 bytes, 6 of checksum). */
const standard = (next: () => number, hrp: string): string => `${hrp}1${dataChars(next, 38)}`;

/**
 * Addresses that a chain's shards must still place: standard ones of both chains, contracts (32-byte,
 * 58 data characters: 63 on osmo, 66 on neutron), other hrps of other and of equal lengths (juno1… and
 * terra1… are 43 characters like osmo1…), and random lengths either side of the standard one.
 */
function addressPool(): string[] {
  const next = generator(0x5eed);
  const pool: string[] = [];
  for (let i = 0; i < 2_000; i++) pool.push(standard(next, "osmo"), standard(next, "neutron"));
  for (let i = 0; i < 100; i++) {
    pool.push(`osmo1${dataChars(next, 58)}`, `neutron1${dataChars(next, 58)}`);
    pool.push(standard(next, "cosmos"), `juno1${dataChars(next, 38)}`, `terra1${dataChars(next, 37)}`);
    pool.push(`osmo1${dataChars(next, 1 + Math.floor(next() * 70))}`, `neutron1${dataChars(next, 1 + Math.floor(next() * 70))}`);
    pool.push(`${["a", "osm", "osmo", "osmp", "neutrom", "neutrox", "zz"][i % 7]}1${dataChars(next, 30 + Math.floor(next() * 20))}`);
  }
  // Same head, a data character outside the bech32 alphabet (checks order, not the alphabet).
  pool.push(`osmo1${"1".repeat(38)}`, `osmo1${"b".repeat(38)}`, `osmo1${"~".repeat(38)}`, `neutron1${"1".repeat(38)}`);
  // Each bech32 character right at a shard boundary.
  for (const c of BECH32_DATA_CHARS) pool.push(`osmo1${c.repeat(38)}`, `neutron1${c.repeat(38)}`);
  return pool;
}

const POOL = addressPool();
const COUNTS = [1, 2, 3, 7, 16, 32];
const MAPS = ["debts", "colls"] as const;

/** The raw key of one entry of a plain Red Bank user in `map`. */
function entryKey(map: (typeof MAPS)[number], addr: string, denom: string): Uint8Array {
  return map === "debts" ? concatBytes(mapKey("debts", addr), denom) : concatBytes(mapKey("colls", userIdKey(addr)), denom);
}

const contains = (r: KeyRange, key: Uint8Array): boolean => compareBytes(r.start, key) <= 0 && (r.end === null || compareBytes(key, r.end) < 0);

describe.each(["osmo", "neutron"])("RedBankShards(%s)", (hrp) => {
  describe.each(COUNTS)("%i shards", (count) => {
    const shards = new RedBankShards(hrp, count);

    it.each(MAPS)("%s: every user's keys lie in the range of its shard and of no other", (map) => {
      const ranges = Array.from({ length: count }, (_, k) => shards.range(map, k));
      const misplaced: string[] = [];
      const users = new Array<number>(count).fill(0);
      for (const addr of POOL) {
        const shard = shards.shardOf(addr);
        if (!Number.isInteger(shard) || shard < 0 || shard >= count) {
          misplaced.push(`${addr}: shardOf ${shard} is outside 0..${count - 1}`);
          continue;
        }
        users[shard]!++;
        for (const denom of ["uosmo", "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", "\u0000", "\u{10ffff}"]) {
          const key = entryKey(map, addr, denom);
          const holders = ranges.flatMap((r, k) => (contains(r, key) ? [k] : []));
          if (holders.length !== 1 || holders[0] !== shard) misplaced.push(`${addr} ${JSON.stringify(denom)}: shardOf ${shard}, in ranges [${holders.join(",")}]`);
        }
      }
      expect(misplaced.slice(0, 10)).toEqual([]);
      // The property says something only when every shard has users.
      expect(users.filter((n) => n === 0)).toEqual([]);
    });

    it.each(MAPS)("%s: ranges are contiguous from the map prefix to its end", (map) => {
      const ranges = Array.from({ length: count }, (_, k) => shards.range(map, k));
      expect(ranges[0]!.start).toEqual(mapKey(map));
      expect(ranges[count - 1]!.end).toEqual(prefixEnd(mapKey(map)));
      for (let k = 0; k + 1 < count; k++) expect(ranges[k]!.end, `end of shard ${k}`).toEqual(ranges[k + 1]!.start);
      for (const [k, r] of ranges.entries()) expect(compareBytes(r.start, r.end!), `shard ${k} is empty`).toBeLessThan(0);
    });
  });

  it.each([-1, 4, 1.5])("range refuses shard %d of 4", (shard) => {
    expect(() => new RedBankShards(hrp, 4).range("debts", shard)).toThrow(new RangeError(`shard ${shard} is outside 0..3`));
  });
});

describe("RedBankShards bounds (exact keys)", () => {
  // 2 shards split the 32 data characters in half: shard 1 starts at the 17th, "j".
  it("debts: shard 1 of 2 starts at `u16(43) osmo1j`", () => {
    expect(hex(new RedBankShards("osmo", 2).range("debts", 1).start)).toBe(`00056465627473002b${hexOf("osmo1j")}`);
  });

  it('colls: shard 1 of 2 starts at `u16(66) {"addr":"osmo1j`', () => {
    expect(hex(new RedBankShards("osmo", 2).range("colls", 1).start)).toBe(`0005636f6c6c730042${hexOf('{"addr":"osmo1j')}`);
  });

  it("the last shard ends at the first key after the map", () => {
    expect(hex(new RedBankShards("osmo", 2).range("debts", 1).end!)).toBe("00056465627474");
    expect(hex(new RedBankShards("neutron", 5).range("colls", 4).end!)).toBe("0005636f6c6c74");
  });

  it("one shard covers the whole map", () => {
    expect(new RedBankShards("osmo", 1).range("debts", 0)).toEqual({ start: mapKey("debts"), end: prefixEnd(mapKey("debts")) });
  });

  it.each([
    ["osmo1q… (q is after j)", `osmo1${"q".repeat(38)}`, 1],
    ["the first character of shard 1", `osmo1${"j".repeat(38)}`, 1],
    ["the last character of shard 0", `osmo1${"h".repeat(38)}`, 0],
    ["a shorter address", "osmo1zzz", 0],
    ["a contract address", `osmo1${"0".repeat(58)}`, 1],
    ["another hrp, same length, sorting before", `juno1${"z".repeat(38)}`, 0],
    ["another hrp, same length, sorting after", `terra1${"0".repeat(37)}`, 1],
  ])("shardOf over 2 shards: %s, %s → %i", (_case, addr, shard) => {
    expect(new RedBankShards("osmo", 2).shardOf(addr)).toBe(shard);
  });
});

describe("shard count", () => {
  it("allows one shard per bech32 data character at most", () => {
    expect(MAX_SHARDS).toBe(32);
    expect(BECH32_DATA_CHARS).toBe([...BECH32_DATA_CHARS].sort().join(""));
    expect(new Set(BECH32_DATA_CHARS).size).toBe(32);
    expect(new RedBankShards("osmo", 32).count).toBe(32);
    expect(new RedBankShards("osmo", 1).count).toBe(1);
  });

  it.each([0, 33, 1.5, -1, Number.NaN])("rejects %d", (count) => {
    expect(() => new RedBankShards("osmo", count)).toThrow(new RangeError(`shard count must be an integer in 1..32, got ${count}`));
  });
});

describe("shardOf distribution", () => {
  it("spreads 5,000 uniform addresses over 16 shards, each with 3–10%", () => {
    const next = generator(16);
    const shards = new RedBankShards("osmo", 16);
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 5_000; i++) counts[shards.shardOf(standard(next, "osmo"))]!++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5_000);
    const outside = counts.flatMap((n, k) => (n >= 150 && n <= 500 ? [] : [`shard ${k}: ${n}`]));
    expect(outside).toEqual([]);
  });
});

describe("creditAccountShard", () => {
  it("is FNV-1a 32 of the id modulo the count (published test vectors)", () => {
    expect(creditAccountShard("a", 2 ** 32)).toBe(0xe40c292c);
    expect(creditAccountShard("foobar", 2 ** 32)).toBe(0xbf9cf968);
    expect(creditAccountShard("", 2 ** 32)).toBe(0x811c9dc5);
    expect(creditAccountShard("foobar", 7)).toBe(0xbf9cf968 % 7);
  });

  it("is deterministic and in range for ids 1..10000", () => {
    const bad: string[] = [];
    for (const count of COUNTS) {
      for (let id = 1; id <= 10_000; id++) {
        const shard = creditAccountShard(String(id), count);
        if (!Number.isInteger(shard) || shard < 0 || shard >= count || creditAccountShard(String(id), count) !== shard) bad.push(`${id}/${count}: ${shard}`);
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it("spreads ids 1..10000 over 16 shards within ±30% of even", () => {
    const counts = new Array<number>(16).fill(0);
    for (let id = 1; id <= 10_000; id++) counts[creditAccountShard(String(id), 16)]!++;
    const outside = counts.flatMap((n, k) => (n >= 437.5 && n <= 812.5 ? [] : [`shard ${k}: ${n}`]));
    expect(outside).toEqual([]);
  });
});
