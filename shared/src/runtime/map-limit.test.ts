import { describe, expect, it } from "vitest";
import { mapLimit, Semaphore } from "./map-limit.js";

describe("mapLimit", () => {
  it("keeps at most `limit` calls in flight and returns results in input order", async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe("Semaphore", () => {
  it("lets `limit` holders in and serves the waiters in the order they asked", async () => {
    const sem = new Semaphore(2);
    const order: string[] = [];
    const a = await sem.acquire();
    const b = await sem.acquire();
    const waiters = ["c", "d", "e"].map((name) => sem.acquire().then((release) => (order.push(name), release)));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    a();
    a(); // a second release of the same place frees nothing more
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(["c"]);
    b();
    const [c, d] = await Promise.all(waiters.slice(0, 2));
    expect(order).toEqual(["c", "d"]);
    c!();
    const e = await waiters[2]!;
    expect(order).toEqual(["c", "d", "e"]);
    d!();
    e();
    // every place is free again: two holders at once, no waiting
    await sem.acquire();
    await sem.acquire();
  });
});
