import { fileURLToPath } from "node:url";
import { Counter, Gauge, type Registry } from "prom-client";
import { BlockCounters, ChainClient, ServiceShell, WorkPlanner, pipelineKeys, type Component, type ServiceDeps } from "@mlb/shared";
import { BlockWatcher } from "./block-watcher.js";
import { childEnvs } from "./child-config.js";
import type { ManagerConfig } from "./config.js";
import { Manager, SETTLED_AFTER_BLOCKS } from "./manager.js";
import { createOrchestrator } from "./orchestrators/index.js";
import { WORKER_SERVICES, type WorkerService, type WorkloadSpec } from "./orchestrators/orchestrator.js";

/** The repository root of this install (process orchestrator: <root>/<service>/dist/main.js). */
const INSTALL_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ManagerApp {
  shell: ServiceShell;
  manager: Manager;
  watcher: BlockWatcher;
}

/**
 * Wires the manager: validates every child's configuration (throws a ConfigError naming the
 * service and variable before anything starts), then the block watcher drives the per-block loop.
 */
export function buildManager(config: ManagerConfig, deps: ServiceDeps, opts: { onStalled?: (silentMs: number) => void } = {}): ManagerApp {
  const { logger, redis, registry } = deps;
  const envs = childEnvs(config);
  const keys = pipelineKeys({ chain: config.CHAIN_NAME, product: config.PRODUCT }, config.REDIS_NAMESPACE);
  const client = new ChainClient({ rpc: config.RPC_ENDPOINT, lcd: config.LCD_ENDPOINT, logger });
  const images: Record<WorkerService, string> = { collector: config.COLLECTOR_IMAGE, "health-checker": config.HEALTH_CHECKER_IMAGE, liquidator: config.EXECUTOR_IMAGE };
  const specs = Object.fromEntries(
    WORKER_SERVICES.map((service) => [service, { service, chain: config.CHAIN_NAME, product: config.PRODUCT, deployment: config.REDIS_NAMESPACE, image: images[service], env: envs[service] } satisfies WorkloadSpec]),
  ) as Record<WorkerService, WorkloadSpec>;
  const orchestrator = createOrchestrator(config, logger, INSTALL_ROOT);
  const manager = new Manager({
    redis,
    keys,
    logger,
    orchestrator,
    planner: new WorkPlanner({ redis, keys, logger, product: config.PRODUCT, shards: config.POSITION_SHARDS, rescanEveryBlocks: config.RESCAN_BLOCKS }),
    counters: new BlockCounters({ redis, keys }),
    specs,
    limits: {
      collector: { min: config.MIN_COLLECTOR_COUNT, max: config.MAX_COLLECTOR_COUNT },
      "health-checker": { min: config.MIN_HEALTHCHECK_COUNT, max: config.MAX_HEALTHCHECK_COUNT },
      liquidator: { min: config.MIN_EXECUTOR_COUNT, max: config.MAX_EXECUTOR_COUNT },
    },
    parallelism: {
      collector: Number(envs.collector.COLLECT_WORKERS ?? 2),
      "health-checker": 1,
      liquidator: Number(envs.liquidator.MAX_IN_FLIGHT ?? 16),
    },
    timeframeBlocks: config.TIMEFRAME_BLOCKS,
    headroom: Number(config.HEADROOM),
    scaleDownAfterBlocks: config.SCALE_DOWN_AFTER_BLOCKS,
    shards: config.POSITION_SHARDS,
    metrics: createManagerMetrics(registry),
  });
  const watcher = new BlockWatcher({
    endpoints: config.RPC_WEBSOCKET_ENDPOINT,
    client,
    logger,
    onBlock: (height) => manager.onBlock(height).then(() => undefined),
    warnAfterMs: config.WATCHDOG_WARN_MS,
    exitAfterMs: config.WATCHDOG_EXIT_MS,
    onStalled:
      opts.onStalled ??
      ((silentMs) => {
        logger.fatal({ silentMs }, "no block for too long; exiting so the supervisor restarts the manager");
        process.exit(1);
      }),
  });
  // Stopped last of all (components stop in reverse): the fleet goes to zero after the watcher stops.
  const fleet: Component = {
    name: "fleet",
    start: async () => undefined,
    stop: async () => {
      if (config.SCALE_TO_ZERO_ON_EXIT) await manager.scaleToZero();
      await orchestrator.close();
    },
  };
  const shell = new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components: [fleet, watcher] });
  return { shell, manager, watcher };
}

/**
 * The manager's metrics (docs/metrics.md), registered in `registry`: gauges hold what the last
 * block's report read; the work counters add each block's per-block counters once they settled.
 */
export function createManagerMetrics(registry: Registry) {
  const registers = [registry];
  const perQueue = { labelNames: ["queue"] as const, registers };
  const perService = { labelNames: ["service"] as const, registers };
  // Late increments (stale work dropped, liquidations confirmed) are in by then.
  const perBlock = `counted at the block height the work was for and added ${SETTLED_AFTER_BLOCKS} blocks after it`;
  return {
    instances: new Gauge({ name: "manager_instances", help: "Running instances per worker service, as the orchestrator reports them.", ...perService }),
    targets: new Gauge({ name: "manager_instances_target", help: "Instances the scaling policy asks for per service (running and starting), at the last block.", ...perService }),
    queueDepth: new Gauge({ name: "manager_queue_depth", help: "Items waiting in each queue (pending, not yet claimed), read when the last block arrived, before its work was published.", ...perQueue }),
    queueInProgress: new Gauge({ name: "manager_queue_in_progress", help: "Items claimed by a consumer and not yet acknowledged, per queue, at the last block.", ...perQueue }),
    queueDeadLetters: new Gauge({ name: "manager_queue_dead_letters", help: "Items in each queue's dead-letter list (failed too often or undecodable), at the last block.", ...perQueue }),
    blockHeight: new Gauge({ name: "manager_block_height", help: "Height of the last block the manager handled (published its work and reported).", registers }),
    lastBlockTime: new Gauge({ name: "manager_last_block_timestamp_seconds", help: "Unix time the manager finished handling its last block.", registers }),
    lagBlocks: new Gauge({ name: "manager_block_lag_blocks", help: "Blocks the manager was behind the chain head at its last report (non-zero while it backfills).", registers }),
    blocks: new Counter({ name: "manager_blocks_handled_total", help: "Blocks handled (work published and reported).", registers }),
    discovered: new Counter({ name: "manager_accounts_discovered_total", help: `Positions the collectors' block follower wrote new or changed to the cache, ${perBlock}.`, registers }),
    checked: new Counter({ name: "manager_positions_checked_total", help: `Positions the health checkers evaluated, ${perBlock}.`, registers }),
    unhealthy: new Counter({ name: "manager_positions_unhealthy_total", help: `Positions found below HEALTH_THRESHOLD, ${perBlock}.`, registers }),
    liquidated: new Counter({ name: "manager_positions_liquidated_total", help: `Liquidations that succeeded, by the block they were included in, ${perBlock}.`, registers }),
    missed: new Counter({ name: "manager_work_missed_total", help: `Health work items dropped as stale (newer work for the shard existed), ${perBlock}.`, registers }),
  };
}
