/** The daily loss and fee limits, against a real Redis. */
import { describe, expect, it } from "vitest";
import { pipelineKeys } from "@mlb/shared";
import { connectTestRedis, uniqueNamespace } from "../../test/support/redis.js";
import { KillSwitch } from "../src/kill-switch.js";

const HOUR = 3_600_000;

describe("KillSwitch", () => {
  it("trips once 24 hours of losses or fees exceed their limit, and resets as the hours age out", async () => {
    const redis = connectTestRedis();
    const keys = pipelineKeys({ chain: "osmosis", product: "redbank" }, uniqueNamespace());
    const sw = new KillSwitch({ redis, keys, maxLoss: 1_000n, maxFees: 500n });
    const t0 = 100 * HOUR;
    expect(await sw.tripped(t0)).toBeNull();
    await sw.add(600n, 200n, t0);
    await sw.add(400n, 300n, t0 + HOUR);
    expect(await sw.tripped(t0 + HOUR)).toBeNull(); // exactly at the limits
    await sw.add(1n, 0n, t0 + 2 * HOUR);
    expect(await sw.tripped(t0 + 2 * HOUR)).toBe("kill switch: 1001 uusd lost in 24 h is above DAILY_LOSS_LIMIT_VALUE 1000");
    // 24 hours after the first loss, its bucket no longer counts.
    expect(await sw.tripped(t0 + 24 * HOUR)).toBeNull();
    await sw.add(0n, 501n, t0 + 30 * HOUR);
    expect(await sw.tripped(t0 + 30 * HOUR)).toBe("kill switch: 501 paid in fees in 24 h is above DAILY_GAS_LIMIT 500");
    await redis.quit();
  });
});
