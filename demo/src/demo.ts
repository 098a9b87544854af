/**
 * `make demo`: a private Redis, a local Mars chain with a few thousand Red Bank debtors and a few
 * hundred credit accounts, and one manager per product (which starts collectors, health checkers
 * and liquidators). Once the fleet has every position in view the prices crash; the table shows
 * each block's work until every liquidatable position is liquidated (or DEMO_MAX_BLOCKS pass), then
 * a summary. Everything started is stopped again, also on Ctrl-C.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { DEFAULT_DEVNET_MNEMONIC, DevnetProcess, startLocalRedis, type LocalRedis } from "@mlb/devnet";
import { AttemptRecorder, type AttemptRecord } from "@mlb/liquidator";
import type { BlockReport } from "@mlb/manager";
import { createLogger, createRedis, pipelineKeys, type PipelineKeys, type RedisClient } from "@mlb/shared";
import type { DemoConfig } from "./config.js";
import { ManagerProcess } from "./managers.js";
import { header, row, type Row } from "./table.js";

const PRODUCTS = ["redbank", "rover"] as const;
type Product = (typeof PRODUCTS)[number];
const NAMESPACE = "demo";
const SHARDS = 4;
/** How long the fleet may take from start to every position in view. */
const READY_TIMEOUT_MS = { process: 180_000, docker: 300_000 };

export class Interrupted extends Error {
  constructor() {
    super("interrupted");
  }
}

export async function runDemo(config: DemoConfig, out: (line: string) => void, signal: AbortSignal): Promise<number> {
  const dir = path.resolve(config.DEMO_DIR);
  mkdirSync(dir, { recursive: true });
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const redis = await startLocalRedis();
    stops.push(() => redis.stop());
    const devnetLog = createWriteStream(path.join(dir, "devnet.log"));
    stops.push(async () => devnetLog.end());
    out(`starting a local ${config.DEMO_CHAIN} chain: ${config.DEMO_POSITIONS} Red Bank debtors, ${config.DEMO_ACCOUNTS} credit accounts, ${config.DEMO_BLOCK_TIME_MS} ms blocks`);
    const devnet = await DevnetProcess.start({
      flags: ["--chain", config.DEMO_CHAIN, "--positions", String(config.DEMO_POSITIONS), "--accounts", String(config.DEMO_ACCOUNTS), "--scenario", "idle", "--block-time-ms", String(config.DEMO_BLOCK_TIME_MS), "--funded", String(config.DEMO_SIGNERS)],
      onLine: (line) => devnetLog.write(`${line}\n`),
    });
    stops.push(() => devnet.stop());
    const client = createRedis({ REDIS_ENDPOINT: redis.url, REDIS_CLUSTER: false }, createLogger({ service: "demo", level: "silent" }), "demo");
    stops.push(async () => client.quit().catch(() => client.disconnect()));
    const keys = Object.fromEntries(PRODUCTS.map((p) => [p, pipelineKeys({ chain: config.DEMO_CHAIN, product: p }, NAMESPACE)])) as Record<Product, PipelineKeys>;

    const managers = PRODUCTS.map((product) => ManagerProcess.start(managerEnv(config, product, devnet, redis), path.join(dir, `manager-${product}.log`)));
    stops.push(() => Promise.all(managers.map((m) => m.stop())));
    process.once("exit", () => managers.forEach((m) => m.kill()));
    out(`managers started (ORCHESTRATOR=${config.ORCHESTRATOR}); logs in ${path.relative(process.cwd(), dir) || "."}/ (devnet.log, manager-redbank.log, manager-rover.log)`);
    out("");
    out(header());

    const rows = new RowSource(client, keys);
    const seen = new Map<string, { product: Product; height: number }>();
    let readyAt: number | undefined;
    let crash: number | undefined;
    let last: Liquidatable | undefined;
    let records: Record<Product, AttemptRecord[]> = { redbank: [], rover: [] };
    const notes = new Map<number, string>();
    const deadline = Date.now() + READY_TIMEOUT_MS[config.ORCHESTRATOR];
    for (;;) {
      if (signal.aborted) throw new Interrupted();
      const exited = managers.find((m) => m.exitCode !== null);
      if (exited !== undefined) throw new Error(`a manager exited with code ${exited.exitCode}; see ${path.join(dir, "manager-*.log")}`);
      const r = await rows.next(signal);
      if (r === undefined) {
        if (readyAt === undefined && Date.now() > deadline) throw new Error(`the fleet did not have every position in view within ${READY_TIMEOUT_MS[config.ORCHESTRATOR] / 1000} s; see the logs in ${dir}`);
        continue;
      }
      if (readyAt === undefined && (await rows.ready(r))) {
        readyAt = r.height;
        rows.missed = 0; // work missed while the fleet was starting is not counted
        r.note = "every shard scanned, every service running";
      }
      if (readyAt !== undefined && crash === undefined && r.height >= readyAt + config.DEMO_CALM_BLOCKS) {
        await devnet.crash(config.DEMO_CRASH_PCT);
        crash = (await devnet.status()).height + 1;
        notes.set(crash, `prices −${config.DEMO_CRASH_PCT}%`);
      }
      r.note ??= notes.get(r.height);
      if (crash !== undefined) {
        last = await liquidatable(devnet);
        for (const [account, product] of last.open) if (!seen.has(account)) seen.set(account, { product, height: Math.max(crash, last.height) });
      }
      out(row(r));
      if (crash !== undefined && last !== undefined && r.height > crash + 2) {
        // Done once every position that became liquidatable was liquidated by the bot at least once
        // (some take several liquidations; the summary lists what is still liquidatable and why), or at the limit.
        records = { redbank: await AttemptRecorder.read(client, keys.redbank), rover: await AttemptRecorder.read(client, keys.rover) };
        const liquidated = new Set([...records.redbank, ...records.rover].filter((x) => x.outcome === "liquidated").map((x) => x.account));
        const due = [...seen.keys()].filter((a) => !last!.badDebt.has(a));
        const pending = due.filter((a) => !liquidated.has(a)).length;
        if (pending === 0) {
          out(`every position that became liquidatable was liquidated (${due.length})`);
          break;
        }
        if (r.height > crash + config.DEMO_MAX_BLOCKS) {
          out(`${pending} liquidatable positions not liquidated after ${config.DEMO_MAX_BLOCKS} blocks`);
          break;
        }
      }
    }
    const { lines, ok } = summary(config, crash!, seen, records, last!, rows.missed);
    out("");
    for (const line of lines) out(line);
    return ok ? 0 : 1;
  } finally {
    out("");
    out("stopping the managers (their services scale to zero), the chain and Redis ...");
    await stopAll();
    out("stopped");
  }
}

/** What the devnet's own math calls liquidatable now, bad debt (which no liquidation can cure) set apart. */
interface Liquidatable {
  height: number;
  /** Liquidatable and not bad debt. */
  open: Map<string, Product>;
  badDebt: Set<string>;
}

async function liquidatable(devnet: DevnetProcess): Promise<Liquidatable> {
  const [now, bad] = await Promise.all([
    devnet.admin<{ height: number; redBank: string[]; creditAccounts: string[] }>("GET", "/liquidatable"),
    devnet.admin<{ redBank: { user: string }[]; creditAccounts: { accountId: string }[] }>("GET", "/bad-debt"),
  ]);
  const badDebt = new Set([...bad.redBank.map((b) => b.user), ...bad.creditAccounts.map((b) => b.accountId)]);
  const open = new Map<string, Product>();
  for (const a of now.redBank) if (!badDebt.has(a)) open.set(a, "redbank");
  for (const a of now.creditAccounts) if (!badDebt.has(a)) open.set(a, "rover");
  return { height: now.height, open, badDebt };
}

function managerEnv(config: DemoConfig, product: Product, devnet: DevnetProcess, redis: LocalRedis): Record<string, string> {
  // Signers split between the pipelines: no two liquidators ever hold one account.
  const signers = product === "redbank" ? Math.ceil(config.DEMO_SIGNERS * 0.6) : Math.floor(config.DEMO_SIGNERS * 0.4);
  const maxExecutors = 2;
  return {
    LOG_LEVEL: "info",
    CHAIN_NAME: config.DEMO_CHAIN,
    PRODUCT: product,
    REDIS_ENDPOINT: redis.url,
    REDIS_NAMESPACE: NAMESPACE,
    RPC_ENDPOINT: devnet.ready.rpc,
    LCD_ENDPOINT: devnet.ready.lcd,
    HIVE_ENDPOINT: devnet.ready.hive,
    RPC_WEBSOCKET_ENDPOINT: `${devnet.ready.rpc.replace(/^http/, "ws")}/websocket`,
    ADDRESS_PROVIDER_ADDRESS: devnet.ready.contracts.addressProvider,
    POSITION_SHARDS: String(SHARDS),
    METRICS_HOST: "127.0.0.1",
    METRICS_PORT: "0",
    ORCHESTRATOR: config.ORCHESTRATOR,
    // The devnet's public test mnemonic: HD 0 is its owner (tops the signers up), 1..n are funded.
    WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC,
    // The protocol keeper's stance: every liquidatable position is liquidated, also when swap costs
    // and gas exceed its bonus (a loss of up to $1,000 each; the daily loss kill switch still applies).
    EXECUTOR_CONFIG: JSON.stringify({ MAX_LIQUIDATORS: config.DEMO_SIGNERS, SIGNERS_PER_INSTANCE: Math.max(1, Math.floor(signers / maxExecutors)), MIN_PROFIT_VALUE: -1_000_000_000 }),
    MAX_COLLECTOR_COUNT: "2",
    MAX_HEALTHCHECK_COUNT: "2",
    MAX_EXECUTOR_COUNT: String(maxExecutors),
    SCALE_DOWN_AFTER_BLOCKS: "10",
  };
}

/** Blocks a row waits for: a block's counters are complete only after its liquidations landed and its stale work was counted. */
const SETTLE_BLOCKS = 3;

/**
 * One row per height, both pipelines together, shown once both managers have reported
 * SETTLE_BLOCKS more blocks: the block's own counters (checked, unhealthy, liquidated at that
 * height, missed) and the instances of its report.
 */
class RowSource {
  readonly #redis: RedisClient;
  readonly #keys: Record<Product, PipelineKeys>;
  readonly #reports = new Map<number, { redbank?: BlockReport; rover?: BlockReport }>();
  readonly #highest: Record<Product, number> = { redbank: 0, rover: 0 };
  #next: number | undefined;
  missed = 0;

  constructor(redis: RedisClient, keys: Record<Product, PipelineKeys>) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** The next row, or undefined after a short wait when none is due yet. */
  async next(signal: AbortSignal): Promise<Row | undefined> {
    for (const product of PRODUCTS) {
      for (const json of await this.#redis.lrange(this.#keys[product].reports, -5, -1)) {
        const report = JSON.parse(json) as BlockReport;
        if (this.#next !== undefined && report.height < this.#next) continue;
        this.#reports.set(report.height, { ...this.#reports.get(report.height), [product]: report });
        this.#highest[product] = Math.max(this.#highest[product], report.height);
      }
    }
    const settled = Math.min(this.#highest.redbank, this.#highest.rover) - SETTLE_BLOCKS;
    this.#next ??= settled > 0 ? Math.max(this.#highest.redbank, this.#highest.rover) - SETTLE_BLOCKS : undefined;
    if (this.#next === undefined || this.#next > settled) {
      if (!signal.aborted) await new Promise((r) => setTimeout(r, 200));
      return undefined;
    }
    const h = this.#next++;
    const reports = this.#reports.get(h) ?? {};
    this.#reports.delete(h);
    const r: Row = { height: h, tracked: { redbank: 0, rover: 0 }, counters: { checked: 0, unhealthy: 0, liquidated: 0, missed: 0 }, instances: { collector: 0, "health-checker": 0, liquidator: 0 } };
    for (const p of PRODUCTS) {
      r.tracked[p] = await this.#tracked(p);
      const c = await this.#redis.hgetall(this.#keys[p].blockStats(h));
      for (const k of Object.keys(r.counters) as (keyof Row["counters"])[]) r.counters[k] += Number(c[k] ?? 0);
      const report = reports[p];
      if (report !== undefined) for (const k of Object.keys(r.instances) as (keyof Row["instances"])[]) r.instances[k] += report.instances[k];
    }
    this.missed += r.counters.missed;
    return r;
  }

  /** Every service of both pipelines running and every shard of both caches scanned once. */
  async ready(r: Row): Promise<boolean> {
    if (r.instances.collector < 2 || r.instances["health-checker"] < 2 || r.instances.liquidator < 2) return false;
    for (const p of PRODUCTS) {
      const scanned = await this.#redis.hmget(this.#keys[p].positionsMeta, ...Array.from({ length: SHARDS }, (_, s) => `scanned:${s}`));
      if (scanned.some((h) => h === null)) return false;
    }
    return true;
  }

  async #tracked(product: Product): Promise<number> {
    const pipeline = this.#redis.pipeline();
    for (let s = 0; s < SHARDS; s++) pipeline.hlen(this.#keys[product].positions(s));
    const res = (await pipeline.exec()) ?? [];
    return res.reduce((n, [, v]) => n + Number(v ?? 0), 0);
  }
}

/** The closing summary and whether every liquidatable position was liquidated with no work missed. */
function summary(
  config: DemoConfig,
  crash: number,
  seen: ReadonlyMap<string, { product: Product; height: number }>,
  records: Record<Product, readonly AttemptRecord[]>,
  end: Liquidatable,
  missed: number,
): { lines: string[]; ok: boolean } {
  const col = (product: Product) => {
    const accounts = [...seen].filter(([a, s]) => s.product === product && !end.badDebt.has(a));
    const ours = records[product].filter((r) => r.outcome === "liquidated");
    const firstInclusion = new Map<string, number>();
    for (const r of ours) if (r.inclusionHeight !== null) firstInclusion.set(r.account, Math.min(firstInclusion.get(r.account) ?? Infinity, r.inclusionHeight));
    const delays = { next: 0, second: 0, later: 0, never: 0 };
    for (const [account, s] of accounts) {
      const at = firstInclusion.get(account);
      if (at === undefined) delays.never++;
      else if (at - s.height <= 1) delays.next++;
      else if (at - s.height === 2) delays.second++;
      else delays.later++;
    }
    const profit = ours.reduce((n, r) => n + BigInt(r.realizedProfit ?? "0"), 0n);
    return { liquidatable: accounts.length, liquidated: accounts.length - delays.never, sent: ours.length, profit, delays };
  };
  const rb = col("redbank");
  const ca = col("rover");
  const usd = (uusd: bigint) => `${uusd < 0n ? "-" : ""}$${(Number(uusd < 0n ? -uusd : uusd) / 1e6).toFixed(2)}`;
  const line = (label: string, a: string | number, b: string | number) => `  ${label.padEnd(34)}${String(a).padStart(12)}${String(b).padStart(18)}`;
  const lines = [
    `Summary: ${config.DEMO_CHAIN} math, prices −${config.DEMO_CRASH_PCT}% at block ${crash}`,
    line("", "Red Bank", "credit accounts"),
    line("positions liquidatable", rb.liquidatable, ca.liquidatable),
    line("liquidated by the bot", rb.liquidated, ca.liquidated),
    line("liquidation transactions", rb.sent, ca.sent),
    line("realized profit (USDC value)", usd(rb.profit), usd(ca.profit)),
    line("liquidated in the next block", rb.delays.next, ca.delays.next),
    line("in the second block", rb.delays.second, ca.delays.second),
    line("later", rb.delays.later, ca.delays.later),
    line("never", rb.delays.never, ca.delays.never),
    `  work missed (not done within its block) once the fleet was running: ${missed}`,
    `  bad debt left to the protocol (no liquidation can cure it): ${end.badDebt.size}`,
    `  still liquidatable when the demo stopped (positions that take several liquidations, or have nothing left to seize): ${end.open.size}`,
  ];
  // Why what is left was left: the last attempt on each such account, grouped.
  const last = new Map<string, AttemptRecord>();
  for (const r of [...records.redbank, ...records.rover]) last.set(r.account, r);
  const reasons = new Map<string, number>();
  for (const account of end.open.keys()) {
    const r = last.get(account);
    const reason = r === undefined ? "never attempted" : `${r.outcome}${r.error === null ? "" : `: ${r.error.replace(/\b[0-9A-F]{64}\b/g, "<tx>").replace(/\b\d{2,}\b/g, "N").slice(0, 160)}`}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`    ${n}× last attempt ${reason}`);
  const ok = rb.delays.never + ca.delays.never === 0 && missed === 0 && rb.liquidatable + ca.liquidatable > 0;
  lines.push(ok ? "Every liquidatable position was liquidated, no work missed." : "Not every liquidatable position was liquidated, or work was missed: the managers' logs say more.");
  return { lines, ok };
}
