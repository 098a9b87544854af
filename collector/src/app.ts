import { Counter, Histogram } from "prom-client";
import {
  BlockCounters,
  CHAIN_PREFIXES,
  ChainClient,
  PositionCache,
  QUEUES,
  ReliableQueue,
  ServiceShell,
  collectWorkSchema,
  consumerComponent,
  lazy,
  mapLimit,
  pipelineKeys,
  resolveMarsAddresses,
  type CollectWork,
  type ServiceDeps,
} from "@mlb/shared";
import { Collector, type ScanSummary } from "./collector.js";
import type { CollectorConfig } from "./config.js";
import { CreditManagerSource } from "./sources/credit-manager.js";
import { RedBankSource } from "./sources/red-bank.js";

/** The collector process: its shell, and the collector itself, built on first use (the chain may be down at start). */
export interface CollectorApp {
  shell: ServiceShell;
  collector: () => Promise<Collector>;
  /** COLLECTOR_ONCE: scans every shard once. */
  scanAll(): Promise<ScanSummary[]>;
}

/** Wires the collector: chain client, position source of the product, cache, and the consumer of the `collect` queue. */
export function buildCollector(config: CollectorConfig, deps: ServiceDeps): CollectorApp {
  const { logger, redis, registry } = deps;
  const keys = pipelineKeys({ chain: config.CHAIN_NAME, product: config.PRODUCT }, config.REDIS_NAMESPACE);
  const client = new ChainClient({ rpc: config.RPC_ENDPOINT, lcd: config.LCD_ENDPOINT, logger });
  const cache = new PositionCache({ redis, keys, shards: config.POSITION_SHARDS });
  const metrics = {
    refreshed: new Counter({ name: "collector_accounts_refreshed_total", help: "Accounts read from the chain, by reason (block, scan).", labelNames: ["reason"] as const, registers: [registry] }),
    drift: new Counter({ name: "collector_scan_drift_total", help: "Positions a rescan found different from the cache (changes the block follower missed).", registers: [registry] }),
    scanSeconds: new Histogram({ name: "collector_scan_seconds", help: "Duration of one shard scan.", buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120], registers: [registry] }),
  };

  const collector = lazy(async () => {
    await cache.checkShape();
    const addresses = await resolveMarsAddresses(client, config);
    logger.info({ addresses }, "Mars contracts resolved");
    const common = { client, redBank: addresses.redBank, creditManager: addresses.creditManager, shards: config.POSITION_SHARDS, pageLimit: config.SCAN_PAGE_LIMIT };
    const source = config.PRODUCT === "redbank" ? new RedBankSource({ ...common, hrp: CHAIN_PREFIXES[config.CHAIN_NAME] }) : new CreditManagerSource(common);
    const counters = new BlockCounters({ redis, keys });
    return new Collector({ client, source, cache, counters, logger, metrics, concurrency: config.COLLECT_CONCURRENCY });
  });

  const queue = new ReliableQueue<CollectWork>({ redis, keys: keys.queue(QUEUES.collect), logger, schema: collectWorkSchema });
  const consumer = queue.consumer({
    handler: async (item) => (await collector()).handle(item),
    concurrency: config.COLLECT_WORKERS,
    batchSize: config.COLLECT_WORKERS,
  });
  const components = config.COLLECTOR_ONCE ? [] : [consumerComponent("collect-consumer", consumer, 30_000)];
  const shell = new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components });

  const scanAll = async () => {
    const c = await collector();
    // Credit accounts are not key-partitioned: one scan covers every shard.
    const shards = config.PRODUCT === "rover" ? [0] : Array.from({ length: config.POSITION_SHARDS }, (_, s) => s);
    return mapLimit(shards, config.SCAN_CONCURRENCY, (s) => c.scan(s));
  };
  return { shell, collector, scanAll };
}
