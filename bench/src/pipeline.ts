import { Registry } from "prom-client";
import { createLogger, createRedis, type RedisClient, type ServiceDeps } from "@mlb/shared";

/** Where a pipeline finds the chain: the devnet's endpoints (or a proxy in front of them). */
export interface ChainEndpoints {
  chain: "osmosis" | "neutron";
  rpc: string;
  lcd: string;
  hive: string;
  addressProvider: string;
}

/**
 * The environment a collector or health checker of one pipeline reads (as `parseConfig` input or a
 * child process's env): the chain, a Redis namespace of its own, quiet logs, metrics on a free
 * loopback port; `extra` overrides.
 */
export function pipelineEnv(chain: ChainEndpoints, product: "redbank" | "rover", redisUrl: string, namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CHAIN_NAME: chain.chain,
    PRODUCT: product,
    REDIS_ENDPOINT: redisUrl,
    REDIS_NAMESPACE: namespace,
    RPC_ENDPOINT: chain.rpc,
    LCD_ENDPOINT: chain.lcd,
    HIVE_ENDPOINT: chain.hive,
    ADDRESS_PROVIDER_ADDRESS: chain.addressProvider,
    METRICS_HOST: "127.0.0.1",
    METRICS_PORT: "0",
    LOG_LEVEL: "silent",
    ...extra,
  };
}

/** The `deps` a service's `build()` takes, made in-process: a silent logger, its own Redis connection, a fresh registry. */
export function quietDeps(redisUrl: string, name: string): ServiceDeps & { close(): Promise<void> } {
  const logger = createLogger({ service: name, level: "silent" });
  const redis: RedisClient = createRedis({ REDIS_ENDPOINT: redisUrl, REDIS_CLUSTER: false }, logger, name);
  return { logger, redis, registry: new Registry(), close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}
