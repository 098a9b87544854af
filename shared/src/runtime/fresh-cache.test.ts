import { describe, expect, it } from "vitest";
import { FreshCache } from "./fresh-cache.js";

/** A cache over reads the test answers one by one. */
function setup() {
  let now = 0;
  const reads: { key: string; answer: (v: number) => void; fail: (e: Error) => void }[] = [];
  const cache = new FreshCache<string, number>({
    read: (key) => new Promise((answer, fail) => reads.push({ key, answer, fail })),
    freshMs: 1_000,
    maxStaleMs: 5_000,
    now: () => now,
  });
  return { cache, reads, at: (ms: number) => (now = ms) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("FreshCache", () => {
  it("shares one read between concurrent callers and serves it while fresh", async () => {
    const { cache, reads, at } = setup();
    const a = cache.get("x");
    const b = cache.get("x");
    expect(reads).toHaveLength(1);
    reads[0]!.answer(7);
    expect([await a, await b]).toEqual([7, 7]);
    at(999);
    expect(await cache.get("x")).toBe(7);
    expect(reads).toHaveLength(1);
  });

  it("serves a stale value at once while the next read runs, and waits once it is too old", async () => {
    const { cache, reads, at } = setup();
    const first = cache.get("x");
    reads[0]!.answer(1);
    await first;
    at(1_000);
    expect(await cache.get("x")).toBe(1); // stale, served; a read started
    expect(reads).toHaveLength(2);
    expect(await cache.get("x")).toBe(1); // that read is shared, not repeated
    expect(reads).toHaveLength(2);
    reads[1]!.answer(2);
    await tick();
    expect(await cache.get("x")).toBe(2);
    at(6_000); // the value is 5 s old (its read started at 1 000): callers wait for the new read
    const waiting = cache.get("x");
    let settled = false;
    void waiting.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    reads[2]!.answer(3);
    expect(await waiting).toBe(3);
  });

  it("keeps the last value when a read fails, and gives the error when there is none", async () => {
    const { cache, reads, at } = setup();
    const none = cache.get("y");
    reads[0]!.fail(new Error("node down"));
    await expect(none).rejects.toThrow("node down");
    const again = cache.get("y"); // a failed read is not cached
    expect(reads).toHaveLength(2);
    reads[1]!.answer(5);
    await again;
    at(2_000);
    expect(await cache.get("y")).toBe(5);
    reads[2]!.fail(new Error("node down"));
    await tick();
    expect(await cache.get("y")).toBe(5);
  });

  it("refresh re-reads the keys in use ahead of their callers and forgets the unused ones", async () => {
    const { cache, reads, at } = setup();
    const x = cache.get("x");
    const y = cache.get("y");
    reads[0]!.answer(1);
    reads[1]!.answer(1);
    await Promise.all([x, y]);
    at(500);
    cache.refresh(); // both fresh: nothing read
    expect(reads).toHaveLength(2);
    at(1_000);
    await cache.get("x");
    cache.refresh(); // x's read is under way; y is read
    expect(reads.map((r) => r.key)).toEqual(["x", "y", "x", "y"]);
    reads[2]!.answer(2);
    reads[3]!.answer(2);
    await tick();
    at(5_500); // y unused for 5.5 s: forgotten; x asked 4.5 s ago: re-read
    cache.refresh();
    expect(reads.map((r) => r.key).slice(4)).toEqual(["x"]);
  });
});
