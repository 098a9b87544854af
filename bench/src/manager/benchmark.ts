import os from "node:os";
import { DEFAULT_DEVNET_MNEMONIC, DevnetProcess, type LocalRedis, startLocalRedis } from "@mlb/devnet";
import { BlockCounters, pipelineKeys } from "@mlb/shared";
import { pipelineEnv, quietDeps } from "../pipeline.js";
import { intSetting } from "../settings.js";
import { round } from "../stats.js";
import { fmt } from "../table.js";
import type { BenchEnv, Benchmark, Row } from "../types.js";
import { ManagerProcess, type ManagerReport, type ReportLine } from "./manager-process.js";
import { clockTicksPerSecond, procStat } from "./proc.js";
import { finalCounterFigures, reportFigures, type FinalCounterFigures, type ReportFigures } from "./reports.js";
import { ProcessTreeSampler, type TreeWindow } from "./sampler.js";

/**
 * The manager's own CPU and memory with N tracked positions: a devnet with 1 s blocks and moving
 * prices, a private Redis, and the real manager (`node manager/dist/main.js`, process
 * orchestrator) running the real collector, health checkers and liquidators as its children. Once
 * a block's report shows every position checked, the manager's pid (not its children) is sampled
 * through /proc over BENCH_MANAGER_BLOCKS blocks. bench/README.md explains every figure.
 */

const NAMESPACE = "bench-manager";
const SHARDS = 16;
/** Funded devnet accounts = the liquidators' MAX_LIQUIDATORS: MAX_EXECUTOR_COUNT (4) × SIGNERS_PER_INSTANCE (4). */
const FUNDED = 16;
/** A block's report counts as "every position checked" from this share of the devnet's positions (activity adds and repays a few). */
const WARM_SHARE = 0.99;
const WARM_TIMEOUT_MS = 900_000;
const REPORT_TIMEOUT_MS = 60_000;
/** Between the report lines, the children are read this often (a child's CPU after its last reading is lost when it exits). */
const SAMPLE_MS = 250;
/** SIGTERM → exit of the manager, which first stops its children (each has 15 s before SIGKILL). */
const STOP_GRACE_MS = 60_000;

export interface ManagerResult {
  /** Red Bank positions on the devnet when the manager started. */
  positions: number;
  /** Blocks measured. */
  blocks: number;
  manager: TreeWindow["manager"];
  children: TreeWindow["children"];
  reports: ReportFigures;
  /** The same blocks' counters read after the fleet stopped (late work included). */
  counters_at_stop: FinalCounterFigures;
  window: { wall_ms: number; samples: number };
  /** CPU of the rest of the setup over the same window, for context (the machine has `cpus` cores). */
  others: { devnet_cpu_pct_of_one_core: number; redis_cpu_pct_of_one_core: number; cpus: number };
  /** Manager spawned → the first report whose `checked` reached the positions. */
  warm: { ms: number; height: number; checked: number; reports_before: number };
  /** os.loadavg() (1, 5, 15 minutes) when the window began and ended. */
  load_avg: { start: number[]; end: number[] };
  stop: { ms: number; exit_code: number | null; signal: string | null; sigkilled: boolean; children_left: number };
  devnet: { flags: string[]; startup_ms: number };
  how: string;
}

/** The manager's environment, as manager/test/manager.e2e.test.ts configures it. */
function managerEnv(devnet: DevnetProcess, redisUrl: string): Record<string, string> {
  const { ready } = devnet;
  const chain = { chain: "osmosis" as const, rpc: ready.rpc, lcd: ready.lcd, hive: ready.hive, addressProvider: ready.contracts.addressProvider };
  return pipelineEnv(chain, "redbank", redisUrl, NAMESPACE, {
    ORCHESTRATOR: "process",
    RPC_WEBSOCKET_ENDPOINT: `${ready.rpc.replace(/^http/, "ws")}/websocket`,
    WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC,
    EXECUTOR_CONFIG: JSON.stringify({ MAX_LIQUIDATORS: FUNDED }),
    LOG_LEVEL: "info",
    POSITION_SHARDS: String(SHARDS),
    RESCAN_BLOCKS: "0",
  });
}

/** SIGTERMs the manager (it scales its services to zero, then exits); see ManagerProcess.stop. */
async function stopManager(manager: ManagerProcess): Promise<ManagerResult["stop"]> {
  const stopped = await manager.stop(STOP_GRACE_MS);
  return { ms: round(stopped.ms), exit_code: stopped.code, signal: stopped.signal, sigkilled: stopped.killed, children_left: stopped.childrenLeft };
}

/** Reads report lines until one shows every position checked; returns it and how many came before. */
async function waitWarm(manager: ManagerProcess, positions: number, log: (m: string) => void): Promise<{ line: ReportLine; before: number }> {
  const deadline = Date.now() + WARM_TIMEOUT_MS;
  for (let before = 0; ; before++) {
    const line = await manager.nextReport(Math.max(1, Math.min(REPORT_TIMEOUT_MS, deadline - Date.now())));
    const r = line.report;
    if (r.checked >= WARM_SHARE * positions) return { line, before };
    if (before % 10 === 0) log(`manager: block ${r.height} checked ${fmt(r.checked)} of ${fmt(positions)}; instances ${JSON.stringify(r.instances)}, backlog ${JSON.stringify(r.backlog)}`);
    if (Date.now() > deadline) throw new Error(`no block report with ${fmt(WARM_SHARE * positions)} positions checked within ${WARM_TIMEOUT_MS / 1000} s (last: ${JSON.stringify(r)})`);
  }
}

/** CPU % of one core of a process between two tick readings over `wallMs`. */
function cpuPct(pid: number, ticksBefore: number | undefined, wallMs: number, ticksPerSecond: number): number {
  const after = procStat(pid)?.cpuTicks;
  if (ticksBefore === undefined || after === undefined) return NaN;
  return round(((after - ticksBefore) / ticksPerSecond / (wallMs / 1000)) * 100);
}

export const managerBenchmark: Benchmark<ManagerResult> = {
  name: "manager",
  title: "the manager's own CPU and memory at N tracked positions (process orchestrator, real services)",

  async run(env: BenchEnv): Promise<ManagerResult> {
    const requested = intSetting("BENCH_MANAGER_POSITIONS", 100_000);
    const blocks = intSetting("BENCH_MANAGER_BLOCKS", 30);
    const flags = ["--positions", String(requested), "--scenario", "random-walk", "--activity", "3", "--funded", String(FUNDED), "--block-time-ms", "1000"];
    env.log(`manager: starting node devnet/dist/main.js ${flags.join(" ")}`);
    // debug: the chain's "block committed" line per block, for report_after_commit_ms.
    const devnet = await DevnetProcess.start({ flags, logLevel: "debug" });
    let redis: LocalRedis | undefined;
    let manager: ManagerProcess | undefined;
    let deps: ReturnType<typeof quietDeps> | undefined;
    try {
      redis = await startLocalRedis();
      deps = quietDeps(redis.url, "bench-manager");
      const positions = (await devnet.status()).redBankPositions;
      env.log(`manager: devnet ready in ${(devnet.startupMs / 1000).toFixed(1)} s with ${fmt(positions)} positions; redis ${redis.url}`);
      const spawnedAt = performance.now();
      manager = ManagerProcess.start(env.root, managerEnv(devnet, redis.url));
      env.log(`manager: pid ${manager.pid}; waiting for a block report with every position checked`);
      const warm = await waitWarm(manager, positions, env.log);
      const warmMs = performance.now() - spawnedAt;
      env.log(`manager: warm after ${(warmMs / 1000).toFixed(1)} s (block ${warm.line.report.height}: ${fmt(warm.line.report.checked)} checked); sampling ${blocks} blocks`);

      // The window: from the warm report line to the `blocks`-th report line after it.
      const ticksPerSecond = clockTicksPerSecond();
      const sampler = new ProcessTreeSampler(manager.pid, ticksPerSecond);
      const loadStart = os.loadavg();
      const otherTicks = { devnet: procStat(devnet.pid)?.cpuTicks, redis: procStat(redis.pid)?.cpuTicks };
      sampler.start();
      let sampleError: unknown;
      const timer = setInterval(() => {
        try {
          sampler.sample();
        } catch (err) {
          sampleError ??= err;
        }
      }, SAMPLE_MS);
      const lines: ReportLine[] = [];
      try {
        while (lines.length < blocks) lines.push(await manager.nextReport(REPORT_TIMEOUT_MS));
      } finally {
        clearInterval(timer);
      }
      if (sampleError) throw sampleError;
      const window = sampler.finish();
      const loadEnd = os.loadavg();
      const others = {
        devnet_cpu_pct_of_one_core: cpuPct(devnet.pid, otherTicks.devnet, window.wall_ms, ticksPerSecond),
        redis_cpu_pct_of_one_core: cpuPct(redis.pid, otherTicks.redis, window.wall_ms, ticksPerSecond),
        cpus: os.cpus().length,
      };
      env.log(`manager: ${JSON.stringify(window.manager)}; children ${JSON.stringify({ ...window.children, by_service: undefined })}`);

      const keys = pipelineKeys({ chain: "osmosis", product: "redbank" }, NAMESPACE);
      const stored = (await deps.redis.lrange(keys.reports, 0, -1)).map((r) => JSON.parse(r) as ManagerReport);
      const commitTimes = new Map([...devnet.blocks.values()].map((b) => [b.height, b.time]));
      // The warm line opened the window: its block's work was done before it, so it is not measured.
      const reports = reportFigures(warm.line, lines, stored, commitTimes);

      env.log("manager: stopping the manager (SIGTERM: it scales its services to zero)");
      const stop = await stopManager(manager);
      env.log(`manager: stopped in ${(stop.ms / 1000).toFixed(1)} s, exit code ${stop.exit_code}, ${stop.children_left} children left`);
      const counters = new BlockCounters({ redis: deps.redis, keys });
      const [from, to] = reports.heights;
      const finalCounters = finalCounterFigures(await Promise.all(Array.from({ length: to - from + 1 }, (_, i) => counters.read(from + i))), positions, WARM_SHARE);
      return {
        positions,
        blocks,
        manager: window.manager,
        children: window.children,
        reports,
        counters_at_stop: finalCounters,
        window: { wall_ms: window.wall_ms, samples: window.samples },
        others,
        warm: { ms: round(warmMs), height: warm.line.report.height, checked: warm.line.report.checked, reports_before: warm.before },
        load_avg: { start: loadStart.map((x) => round(x, 2)), end: loadEnd.map((x) => round(x, 2)) },
        stop,
        devnet: { flags, startup_ms: round(devnet.startupMs) },
        how: `node manager/dist/main.js, ORCHESTRATOR=process, ${SHARDS} shards, LOG_LEVEL=info; CPU = Δ(utime+stime) of /proc/<pid>/stat over the window's wall time; children = its direct children by ppid, read every ${SAMPLE_MS} ms`,
      };
    } finally {
      const steps: [string, () => Promise<unknown>][] = [
        ["manager", async () => manager?.stop(STOP_GRACE_MS)],
        ["redis client", async () => deps?.close()],
        ["redis", async () => redis?.stop()],
        ["devnet", () => devnet.stop()],
      ];
      for (const [name, step] of steps) {
        try {
          await step();
        } catch (err) {
          env.log(`manager: stopping the ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  },

  rows(r: ManagerResult): Row[] {
    const pct = (x: number) => `${fmt(x, 1)} %`;
    const mb = (x: number) => `${fmt(x)} MB`;
    const perService = (f: (s: ManagerResult["children"]["by_service"][string]) => string) =>
      Object.entries(r.children.by_service)
        .map(([name, s]) => `${name} ×${s.processes} ${f(s)}`)
        .join(", ");
    const { reports: rep } = r;
    return [
      { figure: "positions", value: fmt(r.positions), note: `Red Bank debtors tracked; ${SHARDS} shards` },
      { figure: "blocks measured", value: fmt(r.blocks), note: `heights ${rep.heights[0]}..${rep.heights[1]}, ${fmt(r.window.wall_ms / 1000, 1)} s` },
      { figure: "manager CPU", value: pct(r.manager.cpu_pct_of_one_core), note: "of one core, its own pid only" },
      { figure: "manager RSS", value: mb(r.manager.rss_mb), note: `at the end; max sampled ${mb(r.manager.rss_max_mb)}; peak (VmHWM) ${mb(r.manager.peak_rss_mb)}` },
      { figure: "children CPU", value: pct(r.children.cpu_pct_of_one_core), note: perService((s) => pct(s.cpu_pct_of_one_core)) },
      { figure: "children RSS", value: mb(r.children.rss_mb), note: perService((s) => mb(s.rss_mb)) },
      { figure: "devnet / redis CPU", value: `${pct(r.others.devnet_cpu_pct_of_one_core)} / ${pct(r.others.redis_cpu_pct_of_one_core)}`, note: `context: ${r.others.cpus} cores in all` },
      { figure: "report cadence", value: `${fmt(rep.cadence_ms.median)} ms`, spread: `..${fmt(rep.cadence_ms.max)}`, note: "between block report lines (median, max)" },
      { figure: "report after commit", value: rep.report_after_commit_ms ? `${fmt(rep.report_after_commit_ms.median)} ms` : "-", spread: rep.report_after_commit_ms ? `..${fmt(rep.report_after_commit_ms.max)}` : undefined, note: "block h+1 committed → report of h logged" },
      { figure: "max lag", value: fmt(rep.max_lag), note: "blocks behind the chain when reporting" },
      { figure: "missed (reports)", value: fmt(rep.missed), note: `Σ over ${rep.count} reports; checked ${fmt(rep.checked_min)}..${fmt(rep.checked_median)} (min, median) when the next block came` },
      { figure: "missed (at stop)", value: fmt(r.counters_at_stop.missed), note: `the same blocks' counters after the stop; checked ${fmt(r.counters_at_stop.checked_min)}..${fmt(r.counters_at_stop.checked_median)}, ${r.counters_at_stop.fully_checked_blocks} of ${r.blocks} blocks fully` },
      { figure: "instances at the end", value: Object.values(rep.instances).join("/"), note: Object.entries(rep.instances).map(([s, n]) => `${s} ${n} (${rep.instances_range[s]?.join("..")} in the window)`).join(", ") },
      { figure: "backlog at the end", value: fmt(Object.values(rep.backlog).reduce((a, n) => a + n, 0)), note: `${Object.entries(rep.backlog).map(([s, n]) => `${s} ${fmt(n)}`).join(", ")}; ${fmt(rep.liquidated)} liquidated in the window` },
      { figure: "warm-up", value: `${fmt(r.warm.ms / 1000, 1)} s`, note: "manager spawned → every position checked in a block" },
      { figure: "load average", value: `${fmt(r.load_avg.start[0], 2)} → ${fmt(r.load_avg.end[0], 2)}`, note: "1 minute, window start → end" },
      { figure: "stop", value: `${fmt(r.stop.ms / 1000, 1)} s`, note: `SIGTERM → exit ${r.stop.exit_code}${r.stop.sigkilled ? " (SIGKILLed)" : ""}; ${r.stop.children_left} children left` },
    ];
  },
};
