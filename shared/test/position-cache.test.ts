import type { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { connectTestRedis } from "../../test/support/redis.js";
import { pushCandidates } from "../src/pipeline/candidates.js";
import { QUEUES, candidateSchema, type Candidate } from "../src/pipeline/work.js";
import { PositionCache, type PositionCacheOptions } from "../src/positions/cache.js";
import { decodeItem } from "../src/queue/envelope.js";
import type { PipelineKeys } from "../src/redis/keys.js";
import { redisTest as test } from "./helpers/redis-fixture.js";

type Entry = readonly [string, string | null];

const cacheOf = (redis: Redis, keys: PipelineKeys, opts: Partial<PositionCacheOptions> = {}): PositionCache => new PositionCache({ redis, keys, shards: 4, ...opts });

/** Every entry of the change stream with its raw fields, read with XRANGE (not through the code under test). */
async function streamEntries(redis: Redis, keys: PipelineKeys): Promise<{ id: string; fields: string[] }[]> {
  return (await redis.xrange(keys.positionChanges, "-", "+")).map(([id, fields]) => ({ id, fields }));
}

/** Orders stream ids `<ms>-<seq>`. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split("-").map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as < bs ? -1 : as > bs ? 1 : 0;
}

describe("PositionCache.checkShape", () => {
  test("records the shard count, accepts it again and refuses another naming POSITION_SHARDS", async ({ redis, keys }) => {
    await cacheOf(redis, keys, { shards: 4 }).checkShape();
    expect(await redis.hgetall(keys.positionsMeta)).toEqual({ shards: "4" });
    await cacheOf(redis, keys, { shards: 4 }).checkShape();
    await expect(cacheOf(redis, keys, { shards: 8 }).checkShape()).rejects.toThrow(
      new Error(`the position cache at ${keys.positionsMeta} has 4 shards but this service is configured with 8; set POSITION_SHARDS=4 or clear the cache`),
    );
    expect(await redis.hgetall(keys.positionsMeta)).toEqual({ shards: "4" });
  });
});

describe("PositionCache.write", () => {
  test('"discover" adds accounts, counts them changed with no drift, and announces them in one stream entry', async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    expect(await cache.write(2, 100, "discover", [["osmo1a", "{}"], ["osmo1b", '{"c":[]}']])).toEqual({ changed: 2, drift: 0, stale: 0 });
    expect(await redis.hgetall(keys.positions(2))).toEqual({ osmo1a: "100|{}", osmo1b: '100|{"c":[]}' });
    const entries = await streamEntries(redis, keys);
    expect(entries.map((e) => e.fields)).toEqual([["s", "2", "h", "100", "a", "osmo1a,osmo1b"]]);
    expect(await cache.changes("0-0", 10, null)).toEqual([{ id: entries[0]!.id, shard: 2, height: 100, accounts: ["osmo1a", "osmo1b"] }]);
  });

  test("an unchanged rewrite changes nothing and adds no stream entry, but advances the stored height", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(0, 100, "discover", [["a", "p1"], ["b", "p2"]]);
    expect(await cache.write(0, 105, "block", [["a", "p1"], ["b", "p2"]])).toEqual({ changed: 0, drift: 0, stale: 0 });
    expect(await redis.hgetall(keys.positions(0))).toEqual({ a: "105|p1", b: "105|p2" });
    expect(await redis.xlen(keys.positionChanges)).toBe(1);
    // The same height again is a no-op too.
    expect(await cache.write(0, 105, "scan", [["a", "p1"]])).toEqual({ changed: 0, drift: 0, stale: 0 });
    expect(await redis.xlen(keys.positionChanges)).toBe(1);
  });

  test('"block" announces only the accounts that changed, without drift', async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(1, 100, "discover", [["a", "p1"], ["b", "p2"], ["c", "p3"]]);
    expect(await cache.write(1, 101, "block", [["a", "p1"], ["b", "p2*"], ["c", null]])).toEqual({ changed: 2, drift: 0, stale: 0 });
    expect(await redis.hgetall(keys.positions(1))).toEqual({ a: "101|p1", b: "101|p2*" });
    expect((await streamEntries(redis, keys)).map((e) => e.fields)).toEqual([
      ["s", "1", "h", "100", "a", "a,b,c"],
      ["s", "1", "h", "101", "a", "b,c"],
    ]);
  });

  test('"scan" counts every change as drift, deletions included', async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(3, 100, "discover", [["a", "p1"], ["b", "p2"], ["c", "p3"]]);
    expect(await cache.write(3, 110, "scan", [["a", "p1"], ["b", "p2*"], ["c", null], ["d", "p4"]])).toEqual({ changed: 3, drift: 3, stale: 0 });
    expect(await redis.hgetall(keys.positions(3))).toEqual({ a: "110|p1", b: "110|p2*", d: "110|p4" });
    expect((await streamEntries(redis, keys)).at(-1)!.fields).toEqual(["s", "3", "h", "110", "a", "b,c,d"]);
  });

  test("a write at a lower height than stored is stale and changes nothing; others in the batch still apply", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(0, 200, "block", [["a", "new"], ["b", "new"]]);
    expect(await cache.write(0, 150, "scan", [["a", "old"], ["b", null]])).toEqual({ changed: 0, drift: 0, stale: 2 });
    expect(await redis.hgetall(keys.positions(0))).toEqual({ a: "200|new", b: "200|new" });
    expect(await redis.xlen(keys.positionChanges)).toBe(1);
    expect(await cache.write(0, 150, "scan", [["a", "old"], ["c", "p3"]])).toEqual({ changed: 1, drift: 1, stale: 1 });
    expect(await redis.hgetall(keys.positions(0))).toEqual({ a: "200|new", b: "200|new", c: "150|p3" });
    expect((await streamEntries(redis, keys)).at(-1)!.fields).toEqual(["s", "0", "h", "150", "a", "c"]);
  });

  test("deleting an absent account is not a change", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    expect(await cache.write(0, 100, "scan", [["ghost", null]])).toEqual({ changed: 0, drift: 0, stale: 0 });
    expect(await redis.exists(keys.positions(0), keys.positionChanges)).toBe(0);
  });

  test("no entries: no script call, nothing written", async ({ redis, keys }) => {
    expect(await cacheOf(redis, keys).write(0, 100, "discover", [])).toEqual({ changed: 0, drift: 0, stale: 0 });
    expect(await redis.exists(keys.positionChanges)).toBe(0);
  });

  test("batches of 3 give the same result and state as one batch", async ({ redis, keys }) => {
    const one = cacheOf(redis, keys);
    const batched = cacheOf(redis, keys, { batchSize: 3 });
    // Same starting state in shard 0 (one batch) and shard 1 (batches of 3): six accounts at 100, two of them newer.
    const start: Entry[] = ["a0", "a1", "a2", "a3", "a4", "a5"].map((a) => [a, `v-${a}`]);
    for (const shard of [0, 1]) {
      await one.write(shard, 100, "discover", start);
      await one.write(shard, 130, "block", [["a4", "newer"], ["a5", "newer"]]);
    }
    const entries: Entry[] = [
      ["a0", "v-a0"], // unchanged
      ["a1", "changed"],
      ["a2", null], // deleted
      ["a3", "v-a3"], // unchanged
      ["a4", "older"], // stale
      ["a5", null], // stale delete
      ["n0", "new"],
      ["n1", "new"],
      ["gone", null], // absent
      ["n2", "new"],
    ];
    const before = (await streamEntries(redis, keys)).length;
    const expected = { changed: 5, drift: 5, stale: 2 };
    expect(await one.write(0, 120, "scan", entries)).toEqual(expected);
    expect(await batched.write(1, 120, "scan", entries)).toEqual(expected);
    expect(await redis.hgetall(keys.positions(1))).toEqual(await redis.hgetall(keys.positions(0)));
    expect(await redis.hgetall(keys.positions(0))).toEqual({
      a0: "120|v-a0", a1: "120|changed", a3: "120|v-a3", a4: "130|newer", a5: "130|newer", n0: "120|new", n1: "120|new", n2: "120|new",
    });
    const added = (await streamEntries(redis, keys)).slice(before).map((e) => e.fields);
    // One entry for the single batch; for batches of 3, one per batch that changed something (a1,a2 | - | n0,n1 | n2).
    expect(added).toEqual([
      ["s", "0", "h", "120", "a", "a1,a2,n0,n1,n2"],
      ["s", "1", "h", "120", "a", "a1,a2"],
      ["s", "1", "h", "120", "a", "n0,n1"],
      ["s", "1", "h", "120", "a", "n2"],
    ]);
  });
});

describe("PositionCache reads", () => {
  test("readShard returns every entry over several HSCAN pages", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    const expected = new Map<string, string>();
    const entries: Entry[] = [];
    for (let i = 0; i < 6_000; i++) {
      entries.push([`osmo1acct${i}`, `{"i":${i}}`]);
      expected.set(`osmo1acct${i}`, `77|{"i":${i}}`);
    }
    expect(await cache.write(2, 77, "discover", entries)).toEqual({ changed: 6_000, drift: 0, stale: 0 });
    const seen = new Map<string, string>();
    let pages = 0;
    for await (const page of cache.readShard(2, 200)) {
      pages++;
      expect(page.length).toBeGreaterThan(0);
      for (const [account, value] of page) seen.set(account, value);
    }
    expect(pages).toBeGreaterThan(5);
    expect(seen).toEqual(expected);
    // An empty shard yields no page.
    const empty: unknown[] = [];
    for await (const page of cache.readShard(3, 200)) empty.push(page);
    expect(empty).toEqual([]);
  });

  test("get, accounts and size", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(1, 100, "discover", [["b", "p2"], ["a", "p1"]]);
    expect(await cache.get(1, ["a", "missing", "b"])).toEqual(["100|p1", null, "100|p2"]);
    expect(await cache.get(1, [])).toEqual([]);
    expect((await cache.accounts(1)).sort()).toEqual(["a", "b"]);
    expect(await cache.accounts(0)).toEqual([]);
    expect(await cache.size(1)).toBe(2);
    expect(await cache.size(0)).toBe(0);
    await cache.write(1, 101, "block", [["a", null]]);
    expect(await cache.get(1, ["a"])).toEqual([null]);
    expect(await cache.size(1)).toBe(1);
  });
});

describe("the change stream", () => {
  test("streamInfo: 0-0 without a stream, then the newest id; trimmedUpTo advances once MAXLEN ~ trims whole nodes", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys, { streamMaxLen: 10 });
    expect(await cache.streamInfo()).toEqual({ head: "0-0", trimmedUpTo: "0-0" });
    await cache.write(0, 1, "block", [["a", "v1"]]);
    const [first] = await streamEntries(redis, keys);
    expect(await cache.streamInfo()).toEqual({ head: first!.id, trimmedUpTo: "0-0" });

    // `~` trimming only drops whole radix-tree nodes (stream-node-max-entries, 100 by default), so it takes a few hundred entries.
    const ids = [first!.id];
    for (let h = 2; h <= 300; h++) {
      await cache.write(0, h, "block", [["a", `v${h}`]]);
      ids.push((await cache.streamInfo()).head);
    }
    expect(new Set(ids).size).toBe(300);
    const remaining = await streamEntries(redis, keys);
    expect(remaining.length).toBeGreaterThanOrEqual(10);
    expect(remaining.length).toBeLessThan(300);
    const firstKept = ids.indexOf(remaining[0]!.id);
    expect(remaining.map((e) => e.id)).toEqual(ids.slice(firstKept));
    // trimmedUpTo lies in [last removed id, first kept id): readers behind it lost changes, readers at the first kept id did not.
    const info = await cache.streamInfo();
    expect(info.head).toBe(ids[299]);
    expect(compareIds(info.trimmedUpTo, ids[firstKept - 1]!), `${info.trimmedUpTo} vs last removed ${ids[firstKept - 1]}`).toBeGreaterThanOrEqual(0);
    expect(compareIds(info.trimmedUpTo, ids[firstKept]!), `${info.trimmedUpTo} vs first kept ${ids[firstKept]}`).toBeLessThan(0);
    expect(compareIds(info.trimmedUpTo, ids[firstKept - 2]!)).toBeGreaterThan(0);
  });

  test("streamInfo after trimming entries whose ids differ in ms: just below the first kept id", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    for (let ms = 1; ms <= 250; ms++) await redis.xadd(keys.positionChanges, "MAXLEN", "~", 10, `${ms}-0`, "s", "0", "h", String(ms), "a", "x");
    const remaining = await streamEntries(redis, keys);
    const firstKept = Number(remaining[0]!.id.split("-")[0]);
    expect(firstKept).toBeGreaterThan(1);
    expect(remaining.map((e) => e.id)).toEqual(Array.from({ length: 251 - firstKept }, (_, i) => `${firstKept + i}-0`));
    expect(await cache.streamInfo()).toEqual({ head: "250-0", trimmedUpTo: `${firstKept - 1}-18446744073709551615` });
  });

  test("changes(afterId) returns the entries after the id, in order, up to count", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(0, 10, "discover", [["a", "1"]]);
    await cache.write(3, 11, "block", [["b", "1"], ["c", "1"]]);
    await cache.write(1, 12, "scan", [["d", "1"]]);
    const ids = (await streamEntries(redis, keys)).map((e) => e.id);
    const all = [
      { id: ids[0], shard: 0, height: 10, accounts: ["a"] },
      { id: ids[1], shard: 3, height: 11, accounts: ["b", "c"] },
      { id: ids[2], shard: 1, height: 12, accounts: ["d"] },
    ];
    expect(await cache.changes("0-0", 10, null)).toEqual(all);
    expect(await cache.changes(ids[0]!, 10, null)).toEqual(all.slice(1));
    expect(await cache.changes(ids[0]!, 1, null)).toEqual(all.slice(1, 2));
    expect(await cache.changes(ids[2]!, 10, null)).toEqual([]);
    expect(await cache.changes(ids[2]!, 10, 20)).toEqual([]);
  });

  test("a blocking changes() wakes up on the next write", async ({ redis, keys, url }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(0, 10, "discover", [["a", "1"]]);
    const { head } = await cache.streamInfo();
    const reader = connectTestRedis(url);
    try {
      const waiting = cache.changes(head, 10, 10_000, reader);
      await cache.write(2, 11, "block", [["z", "1"]]);
      const got = await waiting;
      expect(got.map(({ shard, height, accounts }) => ({ shard, height, accounts }))).toEqual([{ shard: 2, height: 11, accounts: ["z"] }]);
      expect(compareIds(got[0]!.id, head)).toBe(1);
    } finally {
      await reader.quit();
    }
  });
});

describe("PositionCache.deadLetter", () => {
  test("moves the value with shard, account, value and reason to the dead-letter list", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(2, 100, "discover", [["bad", "not-json"], ["good", "{}"]]);
    const before = Date.now();
    expect(await cache.deadLetter(2, "bad", "100|not-json", "payload is not JSON")).toBe(true);
    const after = Date.now();
    expect(await redis.hgetall(keys.positions(2))).toEqual({ good: "100|{}" });
    const records = await cache.deadLetters();
    expect(records).toEqual([{ shard: 2, account: "bad", value: "100|not-json", reason: "payload is not JSON", at: expect.any(Number) }]);
    expect(records[0]!.at).toBeGreaterThanOrEqual(before);
    expect(records[0]!.at).toBeLessThanOrEqual(after);
  });

  test("returns false and moves nothing when the value was rewritten meanwhile or is gone", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    await cache.write(0, 100, "discover", [["x", "broken"]]);
    await cache.write(0, 101, "block", [["x", "{}"]]);
    expect(await cache.deadLetter(0, "x", "100|broken", "payload is not JSON")).toBe(false);
    expect(await cache.deadLetter(0, "nobody", "100|broken", "payload is not JSON")).toBe(false);
    expect(await redis.hgetall(keys.positions(0))).toEqual({ x: "101|{}" });
    expect(await redis.exists(keys.positionsDead)).toBe(0);
    expect(await cache.deadLetters()).toEqual([]);
  });
});

describe("PositionCache scan marks", () => {
  test("markScanned/scannedHeight per shard", async ({ redis, keys }) => {
    const cache = cacheOf(redis, keys);
    expect(await cache.scannedHeight(3)).toBeNull();
    await cache.markScanned(3, 500);
    expect(await cache.scannedHeight(3)).toBe(500);
    expect(await cache.scannedHeight(2)).toBeNull();
    await cache.markScanned(3, 600);
    expect(await cache.scannedHeight(3)).toBe(600);
    // The marks live beside the shard count without disturbing it.
    await cache.checkShape();
    expect(await redis.hgetall(keys.positionsMeta)).toEqual({ shards: "4", "scanned:3": "600" });
  });
});

describe("pushCandidates", () => {
  const candidate = (account: string, expectedProfit: string): Candidate => ({
    account,
    healthFactor: "0.95",
    totalDebtValue: "1000000",
    debtDenom: "uusdc",
    collateralDenom: "uosmo",
    request: null,
    debtToRepay: "500000",
    expectedProfit,
    detectedAtMs: 1_700_000_000_000,
  });

  /** The pending items, decoded and validated. */
  async function pending(redis: Redis, keys: PipelineKeys) {
    return (await redis.lrange(keys.queue(QUEUES.liquidate).pending, 0, -1)).map((raw) => {
      const decoded = decodeItem(raw, candidateSchema);
      if (!decoded.ok) throw new Error(`pending item does not decode: ${decoded.reason}`);
      return decoded.item;
    });
  }

  test("queues best expected profit first (bigint order, negatives included) as queue envelopes", async ({ redis, keys }) => {
    // Lexical order, or Number order (both 1e20 below tie as doubles), would rank these differently.
    const candidates = [
      candidate("p5", "5"),
      candidate("m10", "-10"),
      candidate("big0", "100000000000000000000"),
      candidate("m3", "-3"),
      candidate("big1", "100000000000000000001"),
      candidate("p42", "42"),
      candidate("zero", "0"),
    ];
    expect(await pushCandidates(redis, keys, 900, candidates, 5)).toBe(7);
    const items = await pending(redis, keys);
    expect(items.map((i) => i.data.account)).toEqual(["big1", "big0", "p42", "p5", "zero", "m3", "m10"]);
    expect(items[0]).toEqual({ id: "big1@900", height: 900, attempt: 0, data: candidate("big1", "100000000000000000001") });
    expect(items.map((i) => i.id)).toEqual(["big1@900", "big0@900", "p42@900", "p5@900", "zero@900", "m3@900", "m10@900"]);
    expect(await redis.hgetall(keys.flagged)).toEqual({ big1: "900", big0: "900", p42: "900", p5: "900", zero: "900", m3: "900", m10: "900" });
  });

  test("no candidates: nothing pushed", async ({ redis, keys }) => {
    expect(await pushCandidates(redis, keys, 900, [], 5)).toBe(0);
    expect(await redis.exists(keys.queue(QUEUES.liquidate).pending, keys.flagged)).toBe(0);
  });

  test("does not queue an account again within repeatBlocks blocks, but does after", async ({ redis, keys }) => {
    expect(await pushCandidates(redis, keys, 100, [candidate("a", "10")], 5)).toBe(1);
    expect(await pushCandidates(redis, keys, 101, [candidate("a", "10"), candidate("b", "1")], 5)).toBe(1);
    expect(await pushCandidates(redis, keys, 104, [candidate("a", "10"), candidate("b", "1")], 5)).toBe(0);
    expect(await pushCandidates(redis, keys, 105, [candidate("a", "10"), candidate("b", "1")], 5)).toBe(1);
    expect(await pushCandidates(redis, keys, 106, [candidate("a", "10"), candidate("b", "1")], 5)).toBe(1);
    // Each push goes to the head: the freshest candidates come first.
    expect((await pending(redis, keys)).map((i) => i.id)).toEqual(["b@106", "a@105", "b@101", "a@100"]);
    expect(await redis.hgetall(keys.flagged)).toEqual({ a: "105", b: "106" });
  });
});
