/** Shard ownership through a real Redis: live members split every shard between them, and take over a leaver's. */
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "@mlb/shared";
import { connectTestRedis, uniqueNamespace } from "../../test/support/redis.js";
import { Membership } from "../src/membership.js";

const redis = connectTestRedis();
afterAll(async () => {
  await redis.quit();
});
const logger = createLogger({ service: "test", level: "silent" });

function member(key: string, id: string, ttlMs = 600) {
  const changes: number[][] = [];
  const m = new Membership({ redis, key, id, shards: 16, ttlMs, logger, onChange: async (owned) => void changes.push([...owned].sort((a, b) => a - b)) });
  return { m, changes };
}

function union(sets: ReadonlySet<number>[]): number[] {
  return [...new Set(sets.flatMap((s) => [...s]))].sort((a, b) => a - b);
}

const ALL = Array.from({ length: 16 }, (_, i) => i);

describe("Membership", () => {
  it("splits the shards between live members without overlap, and hands a leaver's shards over", async () => {
    const key = `${uniqueNamespace()}:members`;
    const a = member(key, "a");
    const b = member(key, "b");
    const c = member(key, "c");
    await a.m.start();
    expect([...a.m.owned].sort((x, y) => x - y)).toEqual(ALL);
    await b.m.start();
    await c.m.start();
    await a.m.beat();
    await b.m.beat();
    const owned = [a.m.owned, b.m.owned, c.m.owned];
    expect(union(owned)).toEqual(ALL);
    expect(owned.reduce((n, s) => n + s.size, 0)).toBe(16);
    expect(owned.map((s) => s.size).sort()).toEqual([5, 5, 6]);
    await c.m.stop(); // leaves at once
    await a.m.beat();
    await b.m.beat();
    expect(union([a.m.owned, b.m.owned])).toEqual(ALL);
    expect(a.m.owned.size + b.m.owned.size).toBe(16);
    await a.m.stop();
    await b.m.stop();
  });

  it("drops a member that stopped heartbeating once its TTL passes", async () => {
    const key = `${uniqueNamespace()}:members`;
    const a = member(key, "a", 400);
    const dead = member(key, "b", 400);
    await dead.m.beat(); // one heartbeat, never another (a crashed process)
    await a.m.start();
    expect(a.m.owned.size).toBe(8);
    await new Promise((r) => setTimeout(r, 500));
    await a.m.beat();
    expect([...a.m.owned].sort((x, y) => x - y)).toEqual(ALL);
    expect(a.changes.at(-1)).toEqual(ALL);
    await a.m.stop();
  });
});
