/**
 * Liquidation speed: a price crash makes about a hundred Red Bank positions liquidatable at once
 * on one-second blocks; the pipeline reacts to the NewBlock event of that block N (health checker
 * evaluation, candidates queued) and the liquidator, with 10 signers, sends every liquidation. The
 * figures: in which block after N each liquidatable position was liquidated, and how long after the
 * NewBlock event each transaction was accepted by the node. bench/README.md explains them.
 */
import { connectComet } from "@cosmjs/tendermint-rpc";
import { parseConfig, pipelineKeys } from "@mlb/shared";
import { buildCollector, collectorConfigSchema, type CollectorConfig } from "@mlb/collector";
import { buildHealthChecker, healthCheckerConfigSchema, type HealthCheckerConfig } from "@mlb/health-checker";
import { AttemptRecorder, buildLiquidator, liquidatorConfigSchema, type AttemptRecord, type LiquidatorConfig } from "@mlb/liquidator";
import { DEFAULT_DEVNET_MNEMONIC, DevnetProcess, startLocalRedis } from "@mlb/devnet";
import { pipelineEnv, quietDeps } from "../pipeline.js";
import { intSetting } from "../settings.js";
import { percentile, round } from "../stats.js";
import { fmt } from "../table.js";
import type { BenchEnv, Benchmark, Row } from "../types.js";

export interface LiquidationResult {
  liquidatable: number;
  blocks: { "1": number; "2": number; later: number; never: number };
  next_block_share: number;
  commit_to_broadcast_ms: { p50: number; p99: number };
  signers: number;
  block_time_ms: number;
  /** The liquidator's MAX_LIQUIDATIONS_PER_TX, BATCH_WAIT_MS and SEND_CONCURRENCY in this run. */
  max_liquidations_per_tx: number;
  batch_wait_ms: number;
  send_concurrency: number;
  /** Height N whose state first had the crashed prices. */
  crash_height: number;
  /** Every attempt's outcome. */
  outcomes: Record<string, number>;
  /** Why attempts failed (the chain's error, cut to 160 characters), with counts. */
  errors: Record<string, number>;
  /** The liquidatable positions never liquidated by us: what their last attempt found. */
  not_liquidated: { account: string; outcome: string; debt: string; collateral: string; repay: string; seize: string; expected_profit_uusd: string }[];
  /** From the NewBlock event of N to the last candidate queued by the health checker. */
  detect_ms: number;
  /** Realised profit of our liquidations (uusd): total, smallest, and how many lost money. */
  realized_profit_uusd: { total: string; min: string; negative: number };
  /** CPU time of the benchmark process (health checker, liquidator) and of the devnet from NewBlock N to 100 ms before N+1 is due. */
  burst_cpu: { bench_ms: number; devnet_ms: number | null; window_ms: number };
  /** Where each sent attempt's time went: NewBlock to its candidate queued, to its claim by the liquidator, and claim to broadcast (re-read, sizing, simulation, signing, CheckTx). */
  stages_ms: { queued: Percentiles; claimed: Percentiles; claim_to_broadcast: Percentiles };
  /** Liquidations per transaction (MAX_LIQUIDATIONS_PER_TX): how many sent attempts went in a transaction of each size. */
  tx_sizes: Record<string, number>;
  /** Every liquidation transaction in the order sent: ms after NewBlock, signer, liquidations in it, gas used in its block. */
  transactions: { at_ms: number; signer: string; liquidations: number; gas_used: number }[];
  devnet_positions: number;
}

interface Percentiles {
  p50: number;
  p99: number;
}

export const liquidationBenchmark: Benchmark<LiquidationResult> = {
  name: "liquidation",
  title: "liquidation: a crash makes ~100 positions liquidatable at block N; share liquidated in N+1",

  async run(env: BenchEnv): Promise<LiquidationResult> {
    const positions = intSetting("BENCH_LIQUIDATION_POSITIONS", 850); // 101 liquidatable after the 25% crash
    const warmupPositions = intSetting("BENCH_WARMUP_POSITIONS", 100, 0);
    const signers = intSetting("BENCH_SIGNERS", 10);
    const blockTimeMs = intSetting("BENCH_BLOCK_TIME_MS", 1_000);
    const redis = await startLocalRedis();
    const devnet = await DevnetProcess.start({
      nodeArgs: (process.env.BENCH_LIQUIDATION_DEVNET_NODE_ARGS ?? "").split(/\s+/).filter(Boolean),
      flags: ["--chain", "osmosis", "--positions", String(warmupPositions), "--activity", "0", "--scenario", "idle", "--block-time-ms", String(blockTimeMs), "--funded", String(signers)],
    });
    const closers: (() => Promise<unknown>)[] = [() => devnet.stop(), () => redis.stop()];
    try {
      const chain = { chain: "osmosis" as const, rpc: devnet.ready.rpc, lcd: devnet.ready.lcd, hive: devnet.ready.hive, addressProvider: devnet.ready.contracts.addressProvider };
      const base = pipelineEnv(chain, "redbank", redis.url, "bench-liquidation", { POSITION_SHARDS: "4", MIN_DEBT_VALUE: "100000" });
      // The pipeline, warmed up before the crash: cache scanned, shards held, signers prepared.
      const cDeps = quietDeps(redis.url, "collector");
      const collector = buildCollector(parseConfig("collector", collectorConfigSchema, base) as CollectorConfig, cDeps);
      await collector.scanAll();
      const hDeps = quietDeps(redis.url, "health-checker");
      const { checker } = buildHealthChecker(parseConfig("health-checker", healthCheckerConfigSchema, base) as HealthCheckerConfig, hDeps);
      await checker.start();
      const lEnv = { ...base, WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC, MAX_LIQUIDATORS: String(signers), SIGNERS_PER_INSTANCE: String(signers), MIN_PROFIT_VALUE: process.env.BENCH_MIN_PROFIT_VALUE ?? "0", ...liquidatorOverrides() };
      const lConfig = parseConfig("liquidator", liquidatorConfigSchema, lEnv) as LiquidatorConfig;
      const lDeps = quietDeps(redis.url, "liquidator");
      const liquidator = buildLiquidator(lConfig, lDeps);
      await liquidator.shell.start();
      await liquidator.executor();
      closers.unshift(() => liquidator.shell.stop(), () => checker.stop(), () => cDeps.close(), () => hDeps.close());
      env.log(`liquidation: devnet with ${warmupPositions} warm-up debtors, pipeline warm, ${signers} signers prepared`);

      // NewBlock over the websocket, as the manager will watch it.
      const comet = await connectComet(devnet.ready.rpc.replace(/^http/, "ws"));
      await comet.status(); // cosmjs 0.38 sends nothing on a websocket until a first request
      const seen = new Map<number, number>();
      let onBlock: ((height: number) => void) | undefined;
      comet.subscribeNewBlock().addListener({
        next: (b) => {
          seen.set(b.header.height, Date.now());
          onBlock?.(b.header.height);
        },
        error: (err) => env.log(`liquidation: NewBlock stream failed: ${String(err)}`),
      });
      closers.unshift(async () => comet.disconnect());

      // Right after a commit, crash the prices: the next block N is the first whose state has them;
      // on its NewBlock event the health checker evaluates every shard at once, as its per-shard
      // consumers take the manager's work items.
      const crashAt = async (pct: number) => {
        const committed = await new Promise<number>((resolve) => (onBlock = resolve));
        await devnet.crash(pct);
        const truth = await devnet.admin<{ redBank: string[] }>("GET", "/liquidatable");
        const n = await new Promise<number>((resolve) => (onBlock = (h) => h > committed && resolve(h)));
        onBlock = undefined;
        return { n, truth, evaluated: Promise.all([...checker.shards().keys()].map((shard) => checker.evaluate(shard, n))) };
      };

      // Warm-up: a bot that has run for a while has its liquidation code compiled and its caches
      // hot, and so has a node. The same crash on a small set of positions first, liquidated block
      // after block until none is left that the bot would liquidate (so the crash measured does not
      // expose them again), the prices put back; then the positions measured are added and crashed.
      const genesis = await devnet.prices();
      if (warmupPositions > 0) {
        const warm = await crashAt(CRASH_PCT);
        await warm.evaluated;
        let left = warm.truth.redBank.length;
        for (let round = 1, h = warm.n; round < WARMUP_ROUNDS && left > 0; round++) {
          h = await devnet.waitForHeightAbove(h + 1, 30_000, 250); // its liquidations landed, their sales too
          await collector.scanAll();
          await Promise.all([...checker.shards().keys()].map((shard) => checker.evaluate(shard, h)));
          left = (await devnet.admin<{ redBank: string[] }>("GET", "/liquidatable")).redBank.length;
        }
        await devnet.setPrices(genesis);
        const liquidated = (await AttemptRecorder.read(lDeps.redis, pipelineKeysOf(base))).filter((r) => r.outcome === "liquidated").length;
        env.log(`liquidation: warm-up of ${warmupPositions} debtors from block ${warm.n}: ${warm.truth.redBank.length} liquidatable, ${liquidated} liquidations, ${left} left; prices put back`);
      }
      const { users } = await devnet.admin<{ users: string[] }>("POST", "/positions", { count: positions });
      await collector.scanAll();
      env.log(`liquidation: ${positions} debtors added and scanned`);

      const crash = await crashAt(CRASH_PCT);
      const { n, evaluated } = crash;
      // The positions this crash made liquidatable: a warm-up one it exposes again is left out.
      const added = new Set(users);
      const truth = { redBank: crash.truth.redBank.filter((a) => added.has(a)) };
      const t0 = seen.get(n)!;
      const burstStartUs = process.hrtime.bigint() / 1000n - BigInt((Date.now() - t0) * 1000);
      onBlock = undefined;
      // CPU each process spends on the burst: from NewBlock N to 100 ms before the next block is
      // due (block N+1's own work, DeliverTx of the liquidations, left out).
      const cpuStart = { bench: process.cpuUsage(), devnet: devnet.cpuMs() };
      const cpuBurst = new Promise<{ bench_ms: number; devnet_ms: number | null; window_ms: number }>((resolve) =>
        setTimeout(() => {
          const bench = process.cpuUsage(cpuStart.bench);
          const devnetMs = devnet.cpuMs();
          resolve({ bench_ms: Math.round((bench.user + bench.system) / 1000), devnet_ms: devnetMs === undefined || cpuStart.devnet === undefined ? null : devnetMs - cpuStart.devnet, window_ms: Date.now() - t0 });
        }, Math.max(0, t0 + blockTimeMs - 100 - Date.now())),
      );
      await evaluated;
      const detectMs = Date.now() - t0;
      env.log(`liquidation: block ${n}: ${truth.redBank.length} liquidatable by the devnet's math, candidates queued ${detectMs} ms after NewBlock`);

      // Let the liquidations land: an attempt's record is written once its transaction is in a block
      // and the seized collateral sold (a sale may wait a few blocks for the pools), so wait until
      // every liquidatable account has one, or 20 blocks. Nothing is asked during the burst itself.
      await new Promise((r) => setTimeout(r, blockTimeMs));
      const measured = async () => (await AttemptRecorder.read(lDeps.redis, pipelineKeysOf(base))).filter((r) => r.candidateHeight >= n);
      let records = await measured();
      for (let h = n; h < n + 20 && !truth.redBank.every((a) => records.some((r) => r.account === a)); ) {
        h = await devnet.waitForHeightAbove(h, 30_000, 250); // polls sparingly: the burst shares the CPU
        records = await measured();
      }
      // The monotonic clock (what --cpu-prof profiles use) of NewBlock N, to cut profiles to the burst.
      env.log(`liquidation: NewBlock of ${n} at monotonic ${burstStartUs} µs`);
      return { ...summarize(truth.redBank, records, n, t0, { signers, blockTimeMs, positions, detectMs, perTx: lConfig.MAX_LIQUIDATIONS_PER_TX, batchWaitMs: lConfig.BATCH_WAIT_MS, sendConcurrency: lConfig.SEND_CONCURRENCY }), burst_cpu: await cpuBurst };
    } finally {
      for (const close of closers) await close().catch(() => undefined);
    }
  },

  rows(r: LiquidationResult): Row[] {
    return [
      { figure: "liquidatable at block N", value: fmt(r.liquidatable), note: `${r.devnet_positions} debtors, ${r.signers} signers, ${r.block_time_ms} ms blocks, ≤ ${r.max_liquidations_per_tx} per tx, wait ≤ ${r.batch_wait_ms} ms` },
      { figure: "liquidated in N+1", value: fmt(r.blocks["1"]), note: `share ${round(r.next_block_share * 100, 1)}% (goal: ≥ 99 of 100)` },
      { figure: "liquidated in N+2 / later / never", value: `${r.blocks["2"]} / ${r.blocks.later} / ${r.blocks.never}` },
      { figure: "NewBlock to broadcast p50", value: `${r.commit_to_broadcast_ms.p50} ms` },
      { figure: "NewBlock to broadcast p99", value: `${r.commit_to_broadcast_ms.p99} ms`, note: "goal: < 200 ms" },
      { figure: "NewBlock to candidates queued", value: `${r.detect_ms} ms` },
      { figure: "realised profit: total, smallest", value: `${r.realized_profit_uusd.total} / ${r.realized_profit_uusd.min} uusd`, note: `${r.realized_profit_uusd.negative} lost money` },
      { figure: "CPU in the burst: bench, devnet", value: `${r.burst_cpu.bench_ms} / ${r.burst_cpu.devnet_ms ?? "?"} ms`, note: `NewBlock to ${r.burst_cpu.window_ms} ms after` },
      { figure: "stages p50 / p99: queued, claimed", value: `${r.stages_ms.queued.p50} / ${r.stages_ms.queued.p99}, ${r.stages_ms.claimed.p50} / ${r.stages_ms.claimed.p99} ms`, note: "from NewBlock, sent attempts" },
      { figure: "claim to broadcast p50 / p99", value: `${r.stages_ms.claim_to_broadcast.p50} / ${r.stages_ms.claim_to_broadcast.p99} ms`, note: "re-read, sizing, simulation, signing, CheckTx" },
    ];
  },
};

/** The price drop of every non-USDC asset, in percent. */
const CRASH_PCT = 25;

/** Most blocks of the warm-up crash: the bot liquidates, sells, and is shown what is left. */
const WARMUP_ROUNDS = 6;

/** The liquidator's settings the BENCH_LIQUIDATIONS_PER_TX, BENCH_BATCH_WAIT_MS and BENCH_SEND_CONCURRENCY variables set (otherwise its defaults). */
function liquidatorOverrides(): Record<string, string> {
  const out: Record<string, string> = {};
  if (process.env.BENCH_LIQUIDATIONS_PER_TX) out.MAX_LIQUIDATIONS_PER_TX = String(intSetting("BENCH_LIQUIDATIONS_PER_TX", 1));
  if (process.env.BENCH_SEND_CONCURRENCY) out.SEND_CONCURRENCY = String(intSetting("BENCH_SEND_CONCURRENCY", 1));
  if (process.env.BENCH_BATCH_WAIT_MS) out.BATCH_WAIT_MS = String(intSetting("BENCH_BATCH_WAIT_MS", 0, 0));
  return out;
}

function pipelineKeysOf(env: Record<string, string>) {
  return pipelineKeys({ chain: env.CHAIN_NAME!, product: env.PRODUCT! }, env.REDIS_NAMESPACE);
}

function summarize(
  liquidatable: readonly string[],
  records: readonly AttemptRecord[],
  n: number,
  t0: number,
  o: { signers: number; blockTimeMs: number; positions: number; detectMs: number; perTx: number; batchWaitMs: number; sendConcurrency: number },
): Omit<LiquidationResult, "burst_cpu"> {
  const blocks = { "1": 0, "2": 0, later: 0, never: 0 };
  for (const account of liquidatable) {
    const first = records.filter((r) => r.account === account && r.outcome === "liquidated" && r.inclusionHeight !== null).map((r) => r.inclusionHeight! - n).sort((a, b) => a - b)[0];
    if (first === undefined) blocks.never++;
    else if (first <= 1) blocks["1"]++;
    else if (first === 2) blocks["2"]++;
    else blocks.later++;
  }
  const sent = records.filter((r) => r.sentAtMs !== null);
  const pct = (xs: number[]): Percentiles => (xs.length === 0 ? { p50: 0, p99: 0 } : { p50: percentile(xs, 50), p99: percentile(xs, 99) });
  const outcomes = countBy(records.map((r) => r.outcome));
  const errors = countBy(records.filter((r) => r.outcome !== "liquidated" && r.error !== null).map((r) => r.error!.slice(0, 160)));
  return {
    liquidatable: liquidatable.length,
    blocks,
    next_block_share: liquidatable.length === 0 ? 0 : round(blocks["1"] / liquidatable.length, 4),
    commit_to_broadcast_ms: pct(sent.map((r) => r.sentAtMs! - t0)),
    signers: o.signers,
    block_time_ms: o.blockTimeMs,
    max_liquidations_per_tx: o.perTx,
    batch_wait_ms: o.batchWaitMs,
    send_concurrency: o.sendConcurrency,
    crash_height: n,
    outcomes,
    errors,
    detect_ms: o.detectMs,
    stages_ms: {
      queued: pct(sent.map((r) => r.detectedAtMs - t0)),
      claimed: pct(sent.map((r) => r.claimedAtMs - t0)),
      claim_to_broadcast: pct(sent.map((r) => r.sentAtMs! - r.claimedAtMs)),
    },
    devnet_positions: o.positions,
    realized_profit_uusd: realized(records.filter((r) => r.outcome === "liquidated" && r.realizedProfit !== null).map((r) => BigInt(r.realizedProfit!))),
    tx_sizes: countBy(sent.map((r) => String(r.txLiquidations))),
    not_liquidated: liquidatable
      .filter((a) => !records.some((r) => r.account === a && r.outcome === "liquidated"))
      .flatMap((a) => records.filter((r) => r.account === a).slice(-1))
      .map((r) => ({ account: r.account, outcome: r.outcome, debt: r.debtDenom ?? "", collateral: r.collateralDenom ?? "", repay: r.debtRepaid, seize: r.collateralReceived, expected_profit_uusd: r.expectedProfit })),
    transactions: [...new Map(sent.map((r) => [r.txHash, { at_ms: r.sentAtMs! - t0, signer: r.signer!.slice(-6), liquidations: r.txLiquidations, gas_used: r.gasUsed }])).values()].sort((a, b) => a.at_ms - b.at_ms),
  };
}

/** Realised profits of the liquidations (wallet changes after the sale, at the block's prices): total, smallest, and how many lost money. */
function realized(profits: readonly bigint[]): { total: string; min: string; negative: number } {
  return {
    total: profits.reduce((a, b) => a + b, 0n).toString(),
    min: (profits.length === 0 ? 0n : profits.reduce((a, b) => (b < a ? b : a))).toString(),
    negative: profits.filter((p) => p < 0n).length,
  };
}

function countBy(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}
