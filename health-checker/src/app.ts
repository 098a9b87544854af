import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { Counter, Gauge, Histogram } from "prom-client";
import { BlockCounters, ChainClient, HiveClient, PositionCache, ServiceShell, lazy, mars, pipelineKeys, resolveMarsAddresses, type ServiceDeps } from "@mlb/shared";
import type { HealthCheckerConfig } from "./config.js";
import { HealthChecker } from "./health-checker.js";
import { ShardStore } from "./shard-store.js";

/** Wires the health checker: chain and Hive clients, the position cache, the in-memory shard store and the per-shard consumers. */
export function buildHealthChecker(config: HealthCheckerConfig, deps: ServiceDeps): { shell: ServiceShell; checker: HealthChecker } {
  const { logger, redis, registry } = deps;
  // Each shard's queue consumer watches the shared connection for reconnects.
  redis.setMaxListeners(Math.max(10, 2 * config.POSITION_SHARDS + 10));
  const keys = pipelineKeys({ chain: config.CHAIN_NAME, product: config.PRODUCT }, config.REDIS_NAMESPACE);
  const client = new ChainClient({ rpc: config.RPC_ENDPOINT, lcd: config.LCD_ENDPOINT, logger });
  const hive = new HiveClient({ endpoints: config.HIVE_ENDPOINT, logger });
  const cache = new PositionCache({ redis, keys, shards: config.POSITION_SHARDS });
  const registers = [registry];
  const metrics = {
    checked: new Counter({ name: "health_positions_checked_total", help: "Positions evaluated.", registers }),
    flagged: new Counter({ name: "health_positions_flagged_total", help: "Positions found below HEALTH_THRESHOLD (dust excluded).", registers }),
    missed: new Counter({ name: "health_work_missed_total", help: "Shard evaluations dropped because newer work for the shard existed.", registers }),
    unevaluable: new Counter({ name: "health_positions_unevaluable_total", help: "Positions that could not be evaluated (missing price, params or market; query errors).", registers }),
    evalSeconds: new Histogram({ name: "health_shard_eval_seconds", help: "Time to evaluate one shard, by source.", labelNames: ["source"] as const, buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5], registers }),
    held: new Gauge({ name: "health_positions_held", help: "Positions held in memory by this instance.", registers }),
  };
  const malformed = new Counter({ name: "health_cache_malformed_total", help: "Cache entries that could not be decoded (moved to the dead-letter list).", registers });
  const store = new ShardStore({ cache, product: config.PRODUCT, streamRedis: redis.duplicate(), logger, onMalformed: () => malformed.inc() });
  const addresses = lazy(async () => {
    await cache.checkShape();
    return resolveMarsAddresses(client, config);
  });
  const checker = new HealthChecker({
    id: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    product: config.PRODUCT,
    redis,
    keys,
    logger,
    client,
    store,
    counters: new BlockCounters({ redis, keys }),
    metrics,
    shards: config.POSITION_SHARDS,
    memberTtlMs: config.MEMBER_TTL_MS,
    addresses,
    source: config.HEALTH_SOURCE,
    query: (a) => ({ transport: config.QUERY_TRANSPORT, client, hive, addresses: a, batch: config.QUERY_BATCH }),
    threshold: mars.parseDecimal(config.HEALTH_THRESHOLD, "HEALTH_THRESHOLD"),
    minDebtValue: BigInt(config.MIN_DEBT_VALUE),
    repeatBlocks: config.CANDIDATE_REPEAT_BLOCKS,
  });
  const shell = new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components: [checker] });
  return { shell, checker };
}
