import { randomUUID } from "node:crypto";
import type { RedisClient } from "../redis/connection.js";
import { loadScript, runScript } from "../redis/lua-script.js";

/** Compare-and-delete and compare-and-pexpire; KEYS[1] is the lock key (see the .lua headers). */
export const lockScripts = {
  release: { script: loadScript("releaseLock-1.lua"), keys: (lockKey: string) => [lockKey] },
  extend: { script: loadScript("extendLock-1.lua"), keys: (lockKey: string) => [lockKey] },
};

function assertTtl(ttlMs: number, key: string): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new RangeError(`lock ttlMs for ${key} must be an integer >= 1, got ${ttlMs}`);
}

/**
 * A lease on one account while a liquidation is in flight, so two executors never act on the same
 * account at once (DESIGN.md). The lock is a string key holding a random token with a PX expiry;
 * only the holder of the token can release or extend it, so a holder that overran its TTL cannot
 * delete the lock a newer holder took. Build keys with `pipelineKeys(...).accountLock(account)`.
 */
export class AccountLock {
  private readonly redis: RedisClient;

  constructor(redis: RedisClient) {
    this.redis = redis;
  }

  /** Takes the lock for `ttlMs` milliseconds; returns the token to release or extend with, or null when held by someone else. */
  async acquire(key: string, ttlMs: number): Promise<string | null> {
    assertTtl(ttlMs, key);
    const token = randomUUID(); // from a pooled entropy buffer: a burst takes a hundred locks at once
    const reply = await this.redis.set(key, token, "PX", ttlMs, "NX");
    return reply === "OK" ? token : null;
  }

  /** Releases the lock if `token` still holds it; returns whether it did (false: expired or taken over). */
  async release(key: string, token: string): Promise<boolean> {
    const { script, keys } = lockScripts.release;
    return (await runScript(this.redis, script, keys(key), [token])) === 1;
  }

  /** Resets the lock's TTL to `ttlMs` milliseconds if `token` still holds it; returns whether it did. */
  async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
    assertTtl(ttlMs, key);
    const { script, keys } = lockScripts.extend;
    return (await runScript(this.redis, script, keys(key), [token, ttlMs])) === 1;
  }
}
