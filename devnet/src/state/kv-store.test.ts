import { describe, expect, it } from "vitest";
import { Journal } from "./journal.js";
import { flatKey, KvStore, prefixEnd, SortedKeys } from "./kv-store.js";

/** A deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Short latin1 keys over a small alphabet (many shared prefixes, bytes 0x00 and 0xff included). */
function randomKey(rand: () => number): string {
  const alphabet = "\u0000\u0001ab\u00ff";
  let k = "";
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) k += alphabet[Math.floor(rand() * alphabet.length)];
  return k;
}

function lowerBound(sorted: string[], key: string): number {
  let i = 0;
  while (i < sorted.length && sorted[i]! < key) i++;
  return i;
}

describe("SortedKeys", () => {
  for (const chunkSize of [1, 2, 3, 8]) {
    it(`matches a sorted array through inserts, appends and removes (chunk size ${chunkSize})`, () => {
      const rand = prng(chunkSize);
      const keys = new SortedKeys(chunkSize);
      const model = new Set<string>();
      for (let step = 0; step < 3000; step++) {
        const k = randomKey(rand);
        const op = rand();
        if (op < 0.45) {
          if (!model.has(k)) {
            model.add(k);
            keys.insert(k);
          }
        } else if (op < 0.55) {
          if (!model.has(k)) {
            model.add(k);
            keys.append(k);
          }
        } else {
          model.delete(k);
          keys.remove(k);
        }
        if (step % 25 === 0 || step === 2999) {
          const sorted = [...model].sort();
          expect(keys.size).toBe(sorted.length);
          expect(keys.slice(0, sorted.length)).toEqual(sorted);
          const probe = randomKey(rand);
          const at = lowerBound(sorted, probe);
          expect(keys.lowerBound(probe)).toBe(at);
          expect(keys.keyAt(at)).toBe(sorted[at]);
          const from = Math.floor(rand() * (sorted.length + 2)) - 1;
          const to = from + Math.floor(rand() * 6);
          expect(keys.slice(from, to)).toEqual(sorted.slice(Math.max(0, from), Math.max(0, to)));
        }
      }
    });
  }
});

describe("KvStore ordered reads", () => {
  it("range and page agree with a sorted model, forwards and in reverse, with offsets and limits", () => {
    const rand = prng(7);
    const store = new KvStore(new Journal());
    const model = new Map<string, string>();
    store.bulkSet(Array.from({ length: 60 }, (_, i) => [`b${String(i).padStart(3, "0")}`, `v${i}`] as [string, string]));
    for (let i = 0; i < 60; i++) model.set(`b${String(i).padStart(3, "0")}`, `v${i}`);
    for (let step = 0; step < 600; step++) {
      const k = randomKey(rand);
      if (rand() < 0.7) {
        store.set(k, `x${step}`);
        model.set(k, `x${step}`);
      } else {
        store.delete(k);
        model.delete(k);
      }
      const sorted = [...model.keys()].sort();
      const start = randomKey(rand);
      const end = rand() < 0.3 ? undefined : start + randomKey(rand);
      const lo = lowerBound(sorted, start);
      const hi = end === undefined ? sorted.length : Math.max(lo, lowerBound(sorted, end));
      const limit = Math.floor(rand() * 5);
      expect(store.range(start, end, limit)).toEqual(sorted.slice(lo, Math.min(hi, lo + limit)).map((x) => [x, model.get(x)]));
      expect(store.range(start, end)).toEqual(sorted.slice(lo, hi).map((x) => [x, model.get(x)]));
      const offset = Math.floor(rand() * 4);
      const forward = store.page(start, end, { offset, limit });
      const fwdKeys = sorted.slice(lo + offset, Math.min(hi, lo + offset + limit));
      expect(forward).toEqual({ entries: fwdKeys.map((x) => [x, model.get(x)]), next: lo + offset + fwdKeys.length < hi ? sorted[lo + offset + fwdKeys.length] : undefined, total: hi - lo });
      const reverse = store.page(start, end, { offset, limit, reverse: true });
      const down = sorted.slice(lo, hi).reverse().slice(offset);
      expect(reverse.entries).toEqual(down.slice(0, limit).map((x) => [x, model.get(x)]));
      expect(reverse.next).toBe(down[limit]);
      expect(reverse.total).toBe(hi - lo);
    }
    expect(store.size).toBe(model.size);
    expect(store.prefix("b0", 3).map(([k]) => k)).toEqual(["b000", "b001", "b002"]);
    expect(prefixEnd("a\u00ff")).toBe("b");
  });

  it("a rolled-back transaction restores keys and their order", () => {
    const journal = new Journal();
    const store = new KvStore(journal);
    store.bulkSet([["a", "1"], ["c", "3"], ["e", "5"]]);
    const mark = journal.begin();
    store.set("b", "2");
    store.delete("c");
    store.set("e", "50");
    expect(store.range("", undefined).map(([k]) => k)).toEqual(["a", "b", "e"]);
    journal.rollback(mark);
    expect(store.range("", undefined)).toEqual([["a", "1"], ["c", "3"], ["e", "5"]]);
  });

  it("flatKey keeps the text, and keys above latin1 as they are", () => {
    const cons = "\u0000\u0005colls" + "{\"addr\":\"osmo1abc\"}".repeat(3) + "uosmo";
    expect(flatKey(cons)).toBe(cons);
    expect(flatKey("snowman \u2603")).toBe("snowman \u2603");
  });
});
