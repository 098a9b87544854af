import type { Registry } from "prom-client";
import type { ChainName, Product } from "../config/fragments.js";
import { createLogger, type Logger, type LogLevel } from "../log/logger.js";
import { createMetricsRegistry } from "../metrics/health-server.js";
import { createRedis, type RedisClient, type RedisSettings } from "../redis/connection.js";

/** The clients every service builds in `main.ts` and hands to its `build()`. */
export interface ServiceDeps {
  logger: Logger;
  redis: RedisClient;
  registry: Registry;
}

/** The part of a service config `createServiceDeps` reads. */
export interface BaseServiceConfig extends RedisSettings {
  LOG_LEVEL: LogLevel;
  LOG_PRETTY: boolean;
  CHAIN_NAME: ChainName;
  PRODUCT: Product;
}

/**
 * Creates the root logger (bound to service, chain and product), the Redis connection and the
 * Prometheus registry of a service process, and logs the configuration (secrets print as
 * `[redacted]`). Called once, from `main.ts`.
 */
export function createServiceDeps(service: string, config: BaseServiceConfig): ServiceDeps {
  const labels = { chain: config.CHAIN_NAME, product: config.PRODUCT };
  const logger = createLogger({ service, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, bindings: labels });
  const redis = createRedis(config, logger, service);
  const registry = createMetricsRegistry({ service, ...labels });
  logger.info({ config }, "configuration loaded");
  return { logger, redis, registry };
}
