import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { connectTestRedis } from "../../test/support/redis.js";
import { SignerLeases, chainKeys, type SignerLeasesOptions } from "../src/index.js";
import { redisTest as test, waitFor } from "./helpers/redis-fixture.js";

/**
 * Signer leases over a real Redis: disjoint indexes across instances, hand-over on stop, renewal
 * past the TTL, loss detection within one renew interval, and expiry after a crash.
 */

const CHAIN = "testchain";

/** Leases of N = 4 signers in the test's namespace; `lost` collects onLost calls. */
function leases(o: Pick<SignerLeasesOptions, "redis" | "namespace"> & Partial<SignerLeasesOptions>) {
  const lost: number[] = [];
  const l = new SignerLeases({ chain: CHAIN, signers: 4, ttlMs: 5_000, onLost: (i) => lost.push(i), ...o });
  return Object.assign(l, { lost });
}

test("two instances wanting 3 each share N = 4 disjointly; a stopped one's signers go to the other", async ({ redis, namespace }) => {
  const a = leases({ redis, namespace });
  const b = leases({ redis, namespace });
  const held = { a: await a.acquire(3), b: await b.acquire(3) };
  expect(held).toEqual({ a: [1, 2, 3], b: [4] });
  const key = chainKeys(CHAIN, namespace).signerLease;
  expect(key(1)).toBe(`${namespace}{${CHAIN}}:signer:1`);
  for (const i of [1, 2, 3, 4]) expect(await redis.pttl(key(i))).toBeGreaterThan(0);
  expect(a.isHeld(1) && !a.isHeld(4) && b.isHeld(4) && !b.isHeld(1)).toBe(true);

  await a.stop();
  await a.stop(); // idempotent
  for (const i of [1, 2, 3]) expect(await redis.exists(key(i))).toBe(0);
  expect(a.held()).toEqual([]);
  await expect(a.acquire(1)).rejects.toThrow(/after stop/);
  expect(await b.acquire(3)).toEqual([1, 2, 4]);
  expect(await b.acquire(10)).toEqual([1, 2, 3, 4]);
  await b.stop();
  expect(await redis.keys(`${namespace}*`)).toEqual([]);
  expect([...a.lost, ...b.lost]).toEqual([]);
});

test("renewal keeps leases past their TTL", async ({ redis, namespace }) => {
  const a = leases({ redis, namespace, ttlMs: 300 });
  const b = leases({ redis, namespace, ttlMs: 300 });
  expect(await a.acquire(2)).toEqual([1, 2]);
  await sleep(900);
  expect(a.held()).toEqual([1, 2]);
  expect(await b.acquire(4)).toEqual([3, 4]);
  await Promise.all([a.stop(), b.stop()]);
  expect([...a.lost, ...b.lost]).toEqual([]);
});

test("a lease whose key is deleted or overwritten is reported lost within one renew interval", async ({ redis, namespace, logs }) => {
  const ttlMs = 600;
  const a = leases({ redis, namespace, ttlMs, logger: logs.logger });
  const key = chainKeys(CHAIN, namespace).signerLease;
  expect(await a.acquire(3)).toEqual([1, 2, 3]);
  const changedAt = Date.now();
  await redis.del(key(1));
  await redis.set(key(2), "someone-else", "PX", 60_000);
  await waitFor(() => a.lost.length === 2, () => `lost ${JSON.stringify(a.lost)}`, 5_000, 5);
  expect(Date.now() - changedAt).toBeLessThanOrEqual(ttlMs / 3 + 100);
  expect(a.lost.sort()).toEqual([1, 2]);
  expect([a.isHeld(1), a.isHeld(2), a.isHeld(3)]).toEqual([false, false, true]);
  expect(a.held()).toEqual([3]);
  expect(logs.lines.filter((l) => l.msg === "signer lease lost, no longer signing with it").map((l) => l.index).sort()).toEqual([1, 2]);
  await a.stop();
  expect(await redis.get(key(2))).toBe("someone-else"); // stop releases only its own tokens
  expect(await redis.exists(key(3))).toBe(0);
});

test("a crashed holder (no release, Redis gone) frees its signers after the TTL and stops trusting them itself", async ({ url, redis, namespace, logs }) => {
  const ttlMs = 600;
  const crashed = connectTestRedis(url);
  const a = leases({ redis: crashed, namespace, ttlMs, logger: logs.logger });
  const b = leases({ redis, namespace, ttlMs });
  expect(await a.acquire(4)).toEqual([1, 2, 3, 4]);
  crashed.disconnect();
  const crashedAt = Date.now();
  expect(await b.acquire(4)).toEqual([]);
  await waitFor(async () => (await b.acquire(4)).length === 4, () => `b holds ${JSON.stringify(b.held())}`, 5_000, 20);
  expect(Date.now() - crashedAt).toBeLessThanOrEqual(ttlMs + 300);
  expect(b.held()).toEqual([1, 2, 3, 4]);
  // The cut-off holder judged by its own clock: none of its leases is usable any more.
  await waitFor(() => a.lost.length === 4, () => `a lost ${JSON.stringify(a.lost)}`, 2_000, 10);
  expect(a.held()).toEqual([]);
  await a.stop();
  await b.stop();
});
