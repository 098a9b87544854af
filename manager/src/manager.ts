/**
 * The manager's per-block loop: publish the block's work, write the report of the block before,
 * and size every service with absolute targets through the orchestrator (see scaling.ts).
 */
import type { Logger } from "pino";
import { QUEUES, ReliableQueue, type BlockCounters, type PipelineKeys, type RedisClient, type WorkPlanner } from "@mlb/shared";
import type { createManagerMetrics } from "./app.js";
import type { Orchestrator, WorkerService, WorkloadSpec } from "./orchestrators/orchestrator.js";
import { WORKER_SERVICES } from "./orchestrators/orchestrator.js";
import { capacityFromHeartbeats, decideInstances, type ScalingRules, type ServiceLoad } from "./scaling.js";

export interface ManagerOptions {
  redis: RedisClient;
  keys: PipelineKeys;
  logger: Logger;
  orchestrator: Orchestrator;
  planner: WorkPlanner;
  counters: BlockCounters;
  specs: Record<WorkerService, WorkloadSpec>;
  limits: Record<WorkerService, { min: number; max: number }>;
  /** Items one instance works on at once (CPU-bound health checking: 1). */
  parallelism: Record<WorkerService, number>;
  timeframeBlocks: number;
  headroom: number;
  scaleDownAfterBlocks: number;
  shards: number;
  metrics: ManagerMetrics;
}

/** The manager's Prometheus metrics (`createManagerMetrics`), updated once per block. */
export type ManagerMetrics = ReturnType<typeof createManagerMetrics>;

/** Blocks after a block when its per-block counters go to the metrics (late increments included). */
export const SETTLED_AFTER_BLOCKS = 10;

/** One block's report: what the pipeline did at that height and the fleet that did it. */
export interface BlockReport {
  height: number;
  discovered: number;
  checked: number;
  unhealthy: number;
  liquidated: number;
  missed: number;
  /** Blocks the manager is behind the chain when it reports. */
  lag: number;
  /** Queue items waiting or in progress, per service. */
  backlog: Record<WorkerService, number>;
  instances: Record<WorkerService, number>;
  targets: Record<WorkerService, number>;
  /**
   * The late figures of an earlier block (`settled.height`, SETTLED_AFTER_BLOCKS before the block
   * that triggered this report), complete by now: its liquidations (counted at inclusion, after the
   * collateral sale) and its missed work (a shard's work goes stale only once the next block's is
   * queued). `liquidated` and `missed` above are read too early for both and are usually 0.
   */
  settled: { height: number; liquidated: number; missed: number } | null;
}

export class Manager {
  readonly #o: ManagerOptions;
  readonly #queues: Record<WorkerService, ReliableQueue<unknown>[]>;
  readonly #slack: Record<WorkerService, number> = { collector: 0, "health-checker": 0, liquidator: 0 };
  #lastBlockAt: number | null = null;
  /** Seconds per block, smoothed. */
  #blockSec = 1;
  #chainHead = 0;

  constructor(options: ManagerOptions) {
    this.#o = options;
    const { redis, keys, logger } = options;
    const queue = (name: string) => new ReliableQueue<unknown>({ redis, keys: keys.queue(name), logger });
    this.#queues = {
      collector: [queue(QUEUES.collect)],
      "health-checker": Array.from({ length: options.shards }, (_, s) => queue(QUEUES.health(s))),
      liquidator: [queue(QUEUES.liquidate)],
    };
  }

  /** The chain is at least at `height` (the watcher may be delivering older heights). */
  seen(height: number): void {
    this.#chainHead = Math.max(this.#chainHead, height);
  }

  /** Everything block `height` asks of the manager. */
  async onBlock(height: number): Promise<BlockReport> {
    const now = Date.now();
    if (this.#lastBlockAt !== null) this.#blockSec = 0.8 * this.#blockSec + 0.2 * Math.max(0.05, (now - this.#lastBlockAt) / 1000);
    this.#lastBlockAt = now;
    this.seen(height);
    const before = await this.#backlogs();
    const scans = this.#o.planner.scanDue(height);
    await this.#o.planner.plan(height);
    const stats = await this.#o.counters.read(height - 1);
    const perBlock: Record<WorkerService, number> = {
      collector: 1 + (scans ? (this.#o.specs.collector.product === "rover" ? 1 : this.#o.shards) : 0),
      "health-checker": this.#o.shards,
      liquidator: stats.unhealthy ?? 0,
    };
    const instances = {} as Record<WorkerService, number>;
    const targets = {} as Record<WorkerService, number>;
    for (const service of WORKER_SERVICES) {
      const spec = this.#o.specs[service];
      const status = await this.#o.orchestrator.status(spec);
      const capacity = capacityFromHeartbeats(await this.#heartbeats(service));
      const load: ServiceLoad = {
        running: status.running,
        starting: status.pending,
        backlog: before[service],
        perBlock: perBlock[service],
        missed: service === "health-checker" ? (stats.missed ?? 0) : 0,
        capacityPerInstance: capacity === null ? null : capacity * this.#o.parallelism[service],
      };
      const rules: ScalingRules = {
        ...this.#o.limits[service],
        max: service === "health-checker" ? Math.min(this.#o.limits[service].max, this.#o.shards) : this.#o.limits[service].max,
        timeframeSec: this.#o.timeframeBlocks * this.#blockSec,
        headroom: this.#o.headroom,
        scaleDownAfterBlocks: this.#o.scaleDownAfterBlocks,
      };
      const first = decideInstances(load, rules, this.#slack[service] + 1);
      this.#slack[service] = first.slack ? this.#slack[service] + 1 : 0;
      instances[service] = status.running;
      targets[service] = first.target;
      this.#o.metrics.instances.set({ service }, status.running);
      this.#o.metrics.targets.set({ service }, first.target);
      if (first.target !== status.running + status.pending) {
        this.#o.logger.info({ service, height, from: status.running + status.pending, to: first.target, reason: first.reason }, "scaling");
        await this.#o.orchestrator.scale(spec, first.target);
        this.#slack[service] = 0;
      }
    }
    const report: BlockReport = {
      height: height - 1,
      discovered: stats.discovered ?? 0,
      checked: stats.checked ?? 0,
      unhealthy: stats.unhealthy ?? 0,
      liquidated: stats.liquidated ?? 0,
      missed: stats.missed ?? 0,
      lag: this.#chainHead - height,
      backlog: before,
      instances,
      targets,
      settled: await this.#observe(height),
    };
    await this.#write(report);
    this.#o.logger.info({ report }, "block report");
    return report;
  }

  /**
   * Block `height` handled: the fleet state to the gauges, and the counters of block
   * `height - SETTLED_AFTER_BLOCKS` to the work counters. The report reads the block before, which
   * is early for `missed` (a shard's work goes stale only once the next block's is queued) and for
   * `liquidated` (counted at inclusion, after confirmation and the sale); ten blocks later they are
   * in. Returns those figures for the report.
   */
  async #observe(height: number): Promise<BlockReport["settled"]> {
    const m = this.#o.metrics;
    m.blockHeight.set(height);
    m.lastBlockTime.set(Date.now() / 1000);
    m.lagBlocks.set(this.#chainHead - height);
    m.blocks.inc();
    const settledHeight = height - SETTLED_AFTER_BLOCKS;
    if (settledHeight < 1) return null;
    const settled = await this.#o.counters.read(settledHeight);
    m.discovered.inc(settled.discovered ?? 0);
    m.checked.inc(settled.checked ?? 0);
    m.unhealthy.inc(settled.unhealthy ?? 0);
    m.liquidated.inc(settled.liquidated ?? 0);
    m.missed.inc(settled.missed ?? 0);
    return { height: settledHeight, liquidated: settled.liquidated ?? 0, missed: settled.missed ?? 0 };
  }

  /** Stops every instance (SIGTERM to zero). */
  async scaleToZero(): Promise<void> {
    for (const service of WORKER_SERVICES) await this.#o.orchestrator.scale(this.#o.specs[service], 0);
  }

  async #backlogs(): Promise<Record<WorkerService, number>> {
    const out = {} as Record<WorkerService, number>;
    for (const service of WORKER_SERVICES) {
      let n = 0;
      for (const q of this.#queues[service]) {
        const d = await q.depth();
        n += d.pending + d.processing;
        this.#o.metrics.queueDepth.set({ queue: q.name }, d.pending);
        this.#o.metrics.queueInProgress.set({ queue: q.name }, d.processing);
        this.#o.metrics.queueDeadLetters.set({ queue: q.name }, d.dead);
      }
      out[service] = n;
    }
    return out;
  }

  /** The live heartbeats of a service's consumers. */
  async #heartbeats(service: WorkerService): Promise<{ processed: number; busyMs: number }[]> {
    const out: { processed: number; busyMs: number }[] = [];
    for (const q of this.#queues[service]) for (const c of await q.consumers()) if (c.heartbeat !== null) out.push(c.heartbeat);
    return out;
  }

  async #write(report: BlockReport): Promise<void> {
    const json = JSON.stringify(report);
    await this.#o.redis.multi().rpush(this.#o.keys.reports, json).ltrim(this.#o.keys.reports, -1_000, -1).exec();
  }
}

