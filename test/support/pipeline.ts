import { Registry } from "prom-client";
import { createLogger, createRedis, type RedisClient, type ServiceDeps } from "@mlb/shared";
import type { TestDevnet } from "../../devnet/test/support/devnet.js";
import { testRedisUrl, uniqueNamespace } from "./redis.js";

/**
 * The environment a collector or health checker of one pipeline needs to work against a test
 * devnet and the run's Redis, in a fresh namespace; `extra` overrides.
 */
export function pipelineEnv(t: TestDevnet, product: "redbank" | "rover", extra: Record<string, string> = {}): Record<string, string> {
  return {
    CHAIN_NAME: t.chain,
    PRODUCT: product,
    REDIS_ENDPOINT: testRedisUrl(),
    REDIS_NAMESPACE: uniqueNamespace(),
    RPC_ENDPOINT: t.ready.rpc,
    LCD_ENDPOINT: t.ready.lcd,
    HIVE_ENDPOINT: t.ready.hive,
    ADDRESS_PROVIDER_ADDRESS: t.c.addressProvider,
    METRICS_HOST: "127.0.0.1",
    METRICS_PORT: "0",
    LOG_LEVEL: "silent",
    ...extra,
  };
}

/** Logger, Redis and registry as `createServiceDeps` makes them, quietly; call `close()` after. */
export function testDeps(config: { REDIS_ENDPOINT: string; LOG_LEVEL?: string }): ServiceDeps & { close(): Promise<void> } {
  const logger = createLogger({ service: "test", level: (config.LOG_LEVEL as "silent") ?? "silent" });
  const redis: RedisClient = createRedis({ REDIS_ENDPOINT: config.REDIS_ENDPOINT, REDIS_CLUSTER: false }, logger, "test");
  return { logger, redis, registry: new Registry(), close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}
