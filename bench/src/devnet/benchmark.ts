import { summarize, round, type Summary } from "../stats.js";
import { intSetting } from "../settings.js";
import { fmt, spread } from "../table.js";
import type { BenchEnv, Benchmark, Row } from "../types.js";
import { DevnetProcess } from "@mlb/devnet";
import { LiquidationBench, summarizeRuns, type LiquidationRun, type LiquidationSetup } from "./liquidations.js";
import { RpcScanner, scanLcd, type Scan } from "./scan.js";

/**
 * The devnet at scale: one devnet child with BENCH_POSITIONS Red Bank debtors (startup and memory
 * once; raw-state scans BENCH_RUNS times), then BENCH_LIQUIDATIONS liquidate txs per run against
 * one block. bench/README.md explains every figure.
 */

const MB = 1024 * 1024;

/** One scan variant's figures: `ms` is the median of the runs. */
export interface ScanFigures {
  how: string;
  /** Entries per page the client asked for (0: none, the server's default). */
  limit: number;
  ms: number;
  ms_spread: Pick<Summary, "min" | "max" | "samples">;
  pages: number;
  entries: number;
  entries_per_s: number;
  /** Largest page returned: the page size the server used. */
  page_size: number;
  ms_per_page: number;
  maps: Record<string, { pages: number; entries: number; ms: number }>;
}

export interface DevnetResult {
  positions: number;
  runs: number;
  devnet_flags: string[];
  memory: {
    /** Spawn to the ready line. */
    startup_ms: number;
    /** At the ready line (admin /status: process.memoryUsage()). */
    rss_mb: number;
    heap_used_mb: number;
    heap_total_mb: number;
    /** VmHWM: the highest RSS so far, reached while creating the positions. */
    peak_rss_mb: number | undefined;
    /** After the scans and liquidations. */
    rss_end_mb: number;
    heap_used_end_mb: number;
    store_entries: number;
  };
  scan: Record<string, ScanFigures>;
  liquidations: ReturnType<typeof summarizeRuns> & { setup: LiquidationSetup; runs: LiquidationRun[] };
}


/** What a scan variant runs against. */
interface ScanTarget {
  rpc: RpcScanner;
  lcd: string;
  redBank: string;
}

/** Every scan variant, in the order of the table; `limit` 0 means none (the server's default page). */
const SCANS: Record<string, { how: string; limit: number; run(t: ScanTarget): Promise<Scan> }> = {
  rpc: { how: "RPC abci_query, cosmjs wasm.getAllContractState (no limit)", limit: 0, run: (t) => t.rpc.scanCosmjs(t.redBank) },
  rpc_limit_1000: { how: "RPC abci_query AllContractState, pagination.limit 1000", limit: 1000, run: (t) => t.rpc.scanWithLimit(t.redBank, 1000) },
  rpc_limit_10000: { how: "RPC abci_query AllContractState, pagination.limit 10000", limit: 10_000, run: (t) => t.rpc.scanWithLimit(t.redBank, 10_000) },
  lcd: { how: "LCD /cosmwasm/wasm/v1/contract/{addr}/state (no limit)", limit: 0, run: (t) => scanLcd(t.lcd, t.redBank) },
  lcd_limit_10000: { how: "LCD .../state, pagination.limit 10000", limit: 10_000, run: (t) => scanLcd(t.lcd, t.redBank, 10_000) },
};

/** Scan variants run when BENCH_SCANS is not set (rpc_limit_1000 only on request: it adds a minute at 1M). */
const DEFAULT_SCANS = ["rpc", "rpc_limit_10000", "lcd", "lcd_limit_10000"];

function scanFigures(how: string, limit: number, scans: Scan[]): ScanFigures {
  const s = summarize(scans.map((x) => x.ms));
  const first = scans[0]!;
  if (scans.some((x) => x.entries !== first.entries)) throw new Error(`${how}: entry counts differ between runs (${scans.map((x) => x.entries).join(", ")})`);
  return {
    how,
    limit,
    ms: round(s.median),
    ms_spread: { min: round(s.min), max: round(s.max), samples: s.samples.map((x) => round(x)) },
    pages: first.pages,
    entries: first.entries,
    entries_per_s: Math.round(first.entries / (s.median / 1000)),
    page_size: first.pageSize,
    ms_per_page: round(s.median / first.pages, 3),
    maps: Object.fromEntries(Object.entries(first.maps).map(([k, m]) => [k, { pages: m.pages, entries: m.entries, ms: round(m.ms) }])),
  };
}

export const devnetBenchmark: Benchmark<DevnetResult> = {
  name: "devnet",
  title: "devnet at scale: startup, memory, raw-state scans, liquidations per block",

  async run(env: BenchEnv): Promise<DevnetResult> {
    const txs = intSetting("BENCH_LIQUIDATIONS", 600);
    const signers = intSetting("BENCH_SIGNERS", 100);
    const scanBudgetS = intSetting("BENCH_SCAN_BUDGET_S", 60);
    const scans = (process.env.BENCH_SCANS ?? "").split(",").map((x) => x.trim()).filter(Boolean);
    const unknownScans = scans.filter((x) => !(x in SCANS));
    if (unknownScans.length) throw new Error(`BENCH_SCANS: unknown ${unknownScans.join(", ")}; known: ${Object.keys(SCANS).join(", ")}`);
    const wanted = scans.length ? scans : DEFAULT_SCANS;
    const flags = ["--positions", String(env.positions), "--funded", String(Math.max(signers, 10)), "--activity", "0"];
    env.log(`devnet: starting node devnet/dist/main.js ${flags.join(" ")} (LOG_LEVEL=debug)`);
    const devnet = await DevnetProcess.start({ flags, logLevel: "debug" });
    let rpc: RpcScanner | undefined;
    let liq: LiquidationBench | undefined;
    try {
      const atReady = await devnet.status();
      const proc = devnet.procMemory();
      env.log(`devnet: ready in ${(devnet.startupMs / 1000).toFixed(1)} s, RSS ${fmt(atReady.memory!.rss / MB)} MB, heap used ${fmt(atReady.memory!.heapUsed / MB)} MB, peak RSS ${fmt((proc?.peakRss ?? NaN) / MB)} MB`);

      // Scans: run r of every variant, then run r + 1 (noise spreads over all of them).
      const { ready } = devnet;
      rpc = await RpcScanner.connect(ready.rpc);
      const target: ScanTarget = { rpc, lcd: ready.lcd, redBank: ready.contracts.redBank };
      const variants = Object.entries(SCANS).filter(([key]) => wanted.includes(key)).map(([key, v]) => ({ key, ...v }));
      // A variant runs again only while its time so far plus one more run fits the budget: the
      // small-page scans of a million positions take about a minute each.
      const budgetMs = scanBudgetS * 1000;
      const samples = new Map<string, Scan[]>(variants.map((v) => [v.key, []]));
      for (let r = 0; r < env.runs; r++) {
        for (const v of variants) {
          const done = samples.get(v.key)!;
          const spent = done.reduce((a, x) => a + x.ms, 0);
          if (r > 0 && spent + done[done.length - 1]!.ms > budgetMs) continue;
          const s = await v.run(target);
          done.push(s);
          env.log(`scan ${v.key} run ${r + 1}/${env.runs}: ${fmt(s.entries)} entries in ${fmt(s.pages)} pages of ${fmt(s.pageSize)}, ${(s.ms / 1000).toFixed(2)} s`);
        }
      }
      const scan = Object.fromEntries(variants.map((v) => [v.key, scanFigures(v.how, v.limit, samples.get(v.key)!)]));
      rpc.disconnect();
      rpc = undefined;

      // Liquidations.
      liq = new LiquidationBench(devnet, { txs, signers, crashPct: 30, runs: env.runs, log: env.log });
      await liq.prepare();
      const runs: LiquidationRun[] = [];
      for (let r = 0; r < env.runs; r++) {
        const run = await liq.run(r);
        runs.push(run);
        env.log(`liquidations run ${r + 1}/${env.runs}: sent ${run.sent}, CheckTx ok ${run.accepted}, per block ${JSON.stringify(run.included_per_block)}, succeeded ${run.succeeded}, broadcast ${fmt(run.broadcast_ms)} ms, block ${fmt(run.block_time_ms)} ms (interval ${fmt(run.block_interval_ms)} ms)${Object.keys(run.failures).length ? `, failures ${JSON.stringify(run.failures)}` : ""}`);
      }

      const atEnd = await devnet.status();
      const entries = Object.values(scan)[0];
      return {
        positions: env.positions,
        runs: env.runs,
        devnet_flags: flags,
        memory: {
          startup_ms: Math.round(devnet.startupMs),
          rss_mb: Math.round(atReady.memory!.rss / MB),
          heap_used_mb: Math.round(atReady.memory!.heapUsed / MB),
          heap_total_mb: Math.round(atReady.memory!.heapTotal / MB),
          peak_rss_mb: proc ? Math.round(proc.peakRss / MB) : undefined,
          rss_end_mb: Math.round(atEnd.memory!.rss / MB),
          heap_used_end_mb: Math.round(atEnd.memory!.heapUsed / MB),
          store_entries: entries ? entries.entries : 0,
        },
        scan,
        liquidations: { ...summarizeRuns(runs, ready.blockTimeMs), setup: liq.setup, runs },
      };
    } finally {
      rpc?.disconnect();
      liq?.close();
      await devnet.stop();
    }
  },

  rows(r: DevnetResult): Row[] {
    const m = r.memory;
    const rows: Row[] = [
      { figure: "positions (Red Bank debtors)", value: fmt(r.positions), note: `${fmt(m.store_entries)} debts + colls entries` },
      { figure: "startup to ready, ms", value: fmt(m.startup_ms), note: "one run" },
      { figure: "RSS at ready, MB", value: fmt(m.rss_mb), note: m.rss_mb < 2048 ? "goal < 2048: met" : "goal < 2048: OVER" },
      { figure: "heap used at ready, MB", value: fmt(m.heap_used_mb), note: `heap total ${fmt(m.heap_total_mb)} MB` },
      { figure: "peak RSS (VmHWM), MB", value: fmt(m.peak_rss_mb), note: `while creating the positions; ${m.peak_rss_mb !== undefined && m.peak_rss_mb < 2048 ? "goal < 2048: met" : "goal < 2048: OVER"}` },
      { figure: "RSS / heap used at the end, MB", value: `${fmt(m.rss_end_mb)} / ${fmt(m.heap_used_end_mb)}` },
    ];
    for (const [key, s] of Object.entries(r.scan)) {
      const n = s.ms_spread.samples.length;
      rows.push({ figure: `scan ${key}: ms`, value: fmt(s.ms), spread: spread({ ...s.ms_spread }), note: `${s.how}${n < r.runs ? `; ${n} of ${r.runs} runs (time budget)` : ""}` });
      rows.push({ figure: `scan ${key}: entries/s`, value: fmt(s.entries_per_s), note: `${fmt(s.entries)} entries, ${fmt(s.pages)} pages of ${fmt(s.page_size)}, ${fmt(s.ms_per_page, 2)} ms/page` });
    }
    const l = r.liquidations;
    const sp = (f: (x: LiquidationRun) => number | undefined, digits = 0) => spread(summarizeSafe(l.runs.map(f)), digits);
    rows.push(
      { figure: "liquidations: sent per run", value: fmt(l.sent), note: `${l.setup.signers} signers, ${fmt(l.setup.liquidatable)} liquidatable after a ${l.setup.crash_pct} % crash` },
      { figure: "liquidations: included in 1st block", value: fmt(l.included_first_block), spread: sp((x) => x.included_first_block), note: l.included_first_block !== undefined && l.included_first_block >= 500 ? "goal >= 500: met" : "goal >= 500: NOT met" },
      { figure: "liquidations: succeeded (code 0)", value: fmt(l.succeeded), spread: sp((x) => x.succeeded), note: `blocks used: ${fmt(l.blocks)}` },
      { figure: "liquidations: broadcast, ms", value: fmt(l.broadcast_ms), spread: sp((x) => x.broadcast_ms), note: "all txs, broadcast_tx_sync, signers in parallel" },
      { figure: "liquidations: CheckTx ms/tx", value: fmt(l.checktx_ms_per_tx, 3), spread: sp((x) => x.checktx_ms_per_tx, 3), note: "broadcast ms / sent" },
      { figure: "liquidations: block time, ms", value: fmt(l.block_time_ms, 1), spread: sp((x) => x.block_time_ms, 1), note: "first inclusion block, all phases (chain debug line)" },
      { figure: "liquidations: DeliverTx ms/tx", value: fmt(l.deliver_ms_per_tx, 3), spread: sp((x) => x.deliver_ms_per_tx, 3) },
      { figure: "liquidations: block interval, ms", value: fmt(l.block_interval_ms), spread: sp((x) => x.block_interval_ms), note: "start to start; 1000 when on time" },
      { figure: "liquidations: sustained per block", value: fmt(l.sustained_per_block_estimate), note: "estimate: block interval / (CheckTx + DeliverTx ms per tx)" },
      { figure: "liquidations: signing ms/tx", value: fmt(l.sign_ms_per_tx, 3), spread: sp((x) => x.sign_ms_per_tx, 3), note: "cosmjs, before the block" },
    );
    return rows;
  },
};

function summarizeSafe(xs: (number | undefined)[]) {
  const v = xs.filter((x): x is number => x !== undefined);
  return v.length ? summarize(v) : undefined;
}
