import { describe, expect, it } from "vitest";
import { UnrecoverableError } from "../errors.js";
import { backoffDelayMs, withRetry } from "./retry.js";

describe("backoffDelayMs", () => {
  it.each([
    // attempt, random, expected: min(maxMs, baseMs·2^(attempt-1))·random
    [1, 1, 100],
    [2, 1, 200],
    [3, 0.5, 200],
    [5, 1, 1_000], // 1600 capped at maxMs
    [30, 1, 1_000],
    [4, 0, 0],
  ])("attempt %i with random %f waits %i ms", (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, { baseMs: 100, maxMs: 1_000 }, () => random)).toBe(expected);
  });
});

describe("withRetry", () => {
  const fast = { baseMs: 1, maxMs: 2, random: () => 0 };

  it("retries until success and reports each retry", async () => {
    const retries: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return "ok";
      },
      { ...fast, attempts: 5, onRetry: (_err, attempt) => retries.push(attempt) },
    );
    expect(result).toBe("ok");
    expect(retries).toEqual([1, 2]);
  });

  it("rethrows the last error when attempts are used up", async () => {
    let calls = 0;
    await expect(withRetry(async () => Promise.reject(new Error(`fail ${++calls}`)), { ...fast, attempts: 3 })).rejects.toThrow("fail 3");
    expect(calls).toBe(3);
  });

  it("stops at once on an error that is not retryable", async () => {
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new UnrecoverableError("bad request");
      },
      { ...fast, attempts: 5, isRetryable: (err) => !(err instanceof UnrecoverableError) },
    );
    await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
    expect(calls).toBe(1);
  });
});
