import { fileURLToPath } from "node:url";
import { Gauge } from "prom-client";
import { BlockCounters, ChainClient, ServiceShell, WorkPlanner, pipelineKeys, type Component, type ServiceDeps } from "@mlb/shared";
import { BlockWatcher } from "./block-watcher.js";
import { childEnvs } from "./child-config.js";
import type { ManagerConfig } from "./config.js";
import { Manager } from "./manager.js";
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
    instances: new Gauge({ name: "manager_instances", help: "Running instances per service.", labelNames: ["service"] as const, registers: [registry] }),
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
