/** A bad per-service configuration stops the manager before anything starts, naming the service and the variable. */
import { describe, expect, it } from "vitest";
import { TEST_MNEMONIC, requiredEnv, startService } from "../../test/support/service-process.js";
import { testRedisUrl, uniqueNamespace } from "../../test/support/redis.js";

describe("child configurations", () => {
  it("exits 2 on a bad EXECUTOR_CONFIG / HEALTH_CHECKER_CONFIG, naming each service and variable, and starts nothing", async () => {
    const p = startService("manager", {
      ...requiredEnv("manager"),
      REDIS_ENDPOINT: testRedisUrl(),
      REDIS_NAMESPACE: uniqueNamespace(),
      METRICS_PORT: "0",
      WALLET_MNEMONIC: TEST_MNEMONIC,
      EXECUTOR_CONFIG: JSON.stringify({ MAX_LIQUIDATORS: "many" }),
      HEALTH_CHECKER_CONFIG: JSON.stringify({ HEALTH_SOURCE: "oracle" }),
    });
    expect(await p.exited).toBe(2);
    const err = p.stderr.join("");
    expect(err).toContain("invalid configuration for manager");
    expect(err).toMatch(/^ {2}EXECUTOR_CONFIG: liquidator: MAX_LIQUIDATORS: /m);
    expect(err).toMatch(/^ {2}HEALTH_CHECKER_CONFIG: health-checker: HEALTH_SOURCE: /m);
    expect(p.output()).not.toContain(TEST_MNEMONIC);
    expect(p.stdout.join("")).not.toContain("service started");
  });
});
