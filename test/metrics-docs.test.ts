/**
 * docs/metrics.md documents every metric the services register (name, type, labels, under its
 * service's section with the right port), the Grafana dashboard queries only metrics that exist
 * and has the operator's panels, and the manager's metrics follow the blocks it handles.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Registry } from "prom-client";
import { BlockCounters, QUEUES, ReliableQueue, WorkPlanner, createLogger, createMetricsRegistry, parseConfig, pipelineKeys, type ServiceDeps } from "@mlb/shared";
import { buildCollector, collectorConfigSchema } from "../collector/src/index.js";
import { DEFAULT_DEVNET_MNEMONIC } from "../devnet/src/cli.js";
import { buildHealthChecker, healthCheckerConfigSchema } from "../health-checker/src/index.js";
import { buildLiquidator, liquidatorConfigSchema } from "../liquidator/src/index.js";
import { buildManager, managerConfigSchema } from "../manager/src/index.js";
import { createManagerMetrics } from "../manager/src/app.js";
import { Manager, SETTLED_AFTER_BLOCKS } from "../manager/src/manager.js";
import type { Orchestrator, WorkerService, WorkloadSpec } from "../manager/src/orchestrators/orchestrator.js";
import { testDeps } from "./support/pipeline.js";
import { connectTestRedis, deleteNamespace, testRedisUrl, uniqueNamespace } from "./support/redis.js";
import { ROOT, SERVICES, type ServiceName } from "./support/service-process.js";

const DOC_PATH = "docs/metrics.md";
const DASHBOARD_PATH = "deploy/grafana/mars-liquidator.json";
/** Series Prometheus makes itself for every target, allowed in the dashboard. */
const PROMETHEUS_SERIES = new Set(["up"]);

/** A metric as a registry holds it. */
interface RegisteredMetric {
  name: string;
  type: string;
  /** Its own labels (`labelNames`); the registry's default ones (service, chain, product) are not among them. */
  labels: string[];
}

/** A metric's row in docs/metrics.md: `| \`name\` | type | labels | meaning |`. */
interface DocumentedMetric {
  type: string;
  labels: string[];
  /** The `## ` section it sits in. */
  section: string;
}

// ---------------------------------------------------------------------------------------------
// What the code registers

/** Every metric of a registry, with its type and own labels. */
async function registered(registry: Registry): Promise<RegisteredMetric[]> {
  return (await registry.getMetricsAsJSON()).map((m) => {
    const metric = registry.getSingleMetric(m.name) as unknown as { labelNames?: readonly string[] };
    return { name: m.name, type: String(m.type), labels: [...(metric.labelNames ?? [])] };
  });
}

/**
 * Builds each service as its main.ts does (no start: nothing listens or connects to a chain) with
 * a registry like createServiceDeps makes, and returns what it registered and its METRICS_PORT default.
 */
async function serviceMetrics(): Promise<Record<ServiceName, { port: number; metrics: RegisteredMetric[] }>> {
  const env = {
    REDIS_ENDPOINT: testRedisUrl(),
    REDIS_NAMESPACE: uniqueNamespace(),
    ADDRESS_PROVIDER_ADDRESS: "osmo1addressprovider",
    WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC,
    MIN_COLLECTOR_COUNT: "0",
    MIN_HEALTHCHECK_COUNT: "0",
    MIN_EXECUTOR_COUNT: "0",
    LOG_LEVEL: "silent",
  };
  type Build = (config: never, deps: ServiceDeps) => { shell: { stop(): Promise<void> } };
  const builders: Record<ServiceName, [schema: Parameters<typeof parseConfig>[1], build: Build]> = {
    collector: [collectorConfigSchema, buildCollector as Build],
    "health-checker": [healthCheckerConfigSchema, buildHealthChecker as Build],
    liquidator: [liquidatorConfigSchema, buildLiquidator as Build],
    manager: [managerConfigSchema, buildManager as Build],
  };
  const out = {} as Record<ServiceName, { port: number; metrics: RegisteredMetric[] }>;
  for (const service of SERVICES) {
    const [schema, build] = builders[service];
    const config = parseConfig(service, schema, env) as { METRICS_PORT: number; CHAIN_NAME: string; PRODUCT: string };
    const deps = { ...testDeps(config as never), registry: createMetricsRegistry({ service, chain: config.CHAIN_NAME, product: config.PRODUCT }) };
    const app = build(config as never, deps);
    out[service] = { port: config.METRICS_PORT, metrics: await registered(deps.registry) };
    await app.shell.stop();
  }
  return out;
}

/** Every `.ts` file under `dir`, tests and build output left out. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (entry.endsWith(".ts") && !entry.endsWith(".test.ts") && !entry.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/**
 * Metric names written in `new Counter/Gauge/Histogram/Summary({ name: "..." ...` anywhere in the
 * packages' sources: catches metrics registered later than `build()` (lazily, per component).
 * A constructor whose name is not a string literal right after `({` is reported as unreadable.
 */
function metricNamesInSource(text: string): { names: string[]; unreadable: number } {
  const constructors = [...text.matchAll(/\bnew (?:Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\(/g)].length;
  const names = [...text.matchAll(/\bnew (?:Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\(\s*\{\s*name:\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/g)].map((m) => m[1]!);
  return { names, unreadable: constructors - names.length };
}

// ---------------------------------------------------------------------------------------------
// What the docs say

/** The metric rows of docs/metrics.md, by name. */
function documentedMetrics(doc: string): Map<string, DocumentedMetric> {
  const out = new Map<string, DocumentedMetric>();
  let section = "";
  for (const line of doc.split("\n")) {
    if (line.startsWith("## ")) section = line.slice(3).trim();
    const row = /^\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|\s*(counter|gauge|histogram|summary)\s*\|([^|]*)\|/.exec(line);
    if (row === null) continue;
    const labels = [...row[3]!.matchAll(/`([a-zA-Z_][a-zA-Z0-9_]*)`/g)].map((m) => m[1]!);
    out.set(row[1]!, { type: row[2]!, labels, section });
  }
  return out;
}

/** What is wrong with the documentation of `metric` in `section` (empty when nothing is). */
function docProblems(metric: RegisteredMetric, docs: Map<string, DocumentedMetric>, section: RegExp): string[] {
  const d = docs.get(metric.name);
  if (d === undefined) return [`${metric.name} (${metric.type}) has no row in ${DOC_PATH}`];
  const problems: string[] = [];
  if (d.type !== metric.type) problems.push(`${metric.name} is a ${metric.type}, ${DOC_PATH} says ${d.type}`);
  if ([...d.labels].sort().join(",") !== [...metric.labels].sort().join(",")) problems.push(`${metric.name} has labels [${metric.labels.join(", ")}], ${DOC_PATH} says [${d.labels.join(", ")}]`);
  if (!section.test(d.section)) problems.push(`${metric.name} is documented under "## ${d.section}", expected a section matching ${section}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// What the dashboard queries

const PROMQL_KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);

/**
 * The metric names a PromQL expression reads. Strings, label matchers, ranges, grouping label
 * lists, Grafana variables, durations and numbers are removed; what remains and is not a function
 * call or a keyword is a metric name.
 */
function metricsInExpr(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, " ")
    .replace(/\$\{[^}]*\}|\$\w+/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|s|m|h|d|w|y)?\b/gi, " ");
  const out: string[] = [];
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = stripped.slice(m.index + m[0].length).trimStart();
    if (rest.startsWith("(") || PROMQL_KEYWORDS.has(m[0].toLowerCase())) continue;
    out.push(m[0]);
  }
  return out;
}

/** The metric a series name belongs to: histogram and summary series carry a suffix. */
function baseMetric(series: string, known: ReadonlyMap<string, string>): string {
  if (known.has(series)) return series;
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  if (m !== null && (known.get(m[1]!) === "histogram" || (known.get(m[1]!) === "summary" && m[2] !== "bucket"))) return m[1]!;
  return series;
}

interface Panel {
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

/** Every panel of a dashboard, the ones inside collapsed rows included. */
function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

// ---------------------------------------------------------------------------------------------

describe("docs/metrics.md and the Grafana dashboard", async () => {
  const doc = readFileSync(join(ROOT, DOC_PATH), "utf8");
  const docs = documentedMetrics(doc);
  const services = await serviceMetrics();
  const processMetrics = await registered(createMetricsRegistry({}));
  const processNames = new Set(processMetrics.map((m) => m.name));
  /** Every metric the code registers, name → type. */
  const known = new Map<string, string>();
  for (const m of [...processMetrics, ...Object.values(services).flatMap((s) => s.metrics)]) known.set(m.name, m.type);
  const dashboard = JSON.parse(readFileSync(join(ROOT, DASHBOARD_PATH), "utf8")) as {
    __inputs?: { name: string; type: string; pluginId: string }[];
    panels: Panel[];
    templating?: { list: { query?: string | { query?: string }; datasource?: { uid?: string } }[] };
  };
  const panels = allPanels(dashboard.panels).filter((p) => p.type !== "row");

  it.each(SERVICES)("%s: every metric it registers has a row (type, labels) in its section, which names its port", (service) => {
    const { port, metrics } = services[service];
    const own = metrics.filter((m) => !processNames.has(m.name));
    expect(own.length, `${service} registers metrics of its own`).toBeGreaterThan(0);
    const heading = doc.split("\n").find((l) => l.startsWith(`## ${service} `));
    expect(heading, `${DOC_PATH} has a "## ${service} ..." section`).toBeDefined();
    expect(heading, `the ${service} section names its METRICS_PORT default`).toContain(String(port));
    const section = new RegExp(`^${service} `);
    expect(own.flatMap((m) => docProblems(m, docs, section))).toEqual([]);
  });

  it("every default process metric (prom-client collectDefaultMetrics) has a row", () => {
    expect(processMetrics.length).toBeGreaterThan(10);
    expect(processMetrics.flatMap((m) => docProblems(m, docs, /^Process metrics/))).toEqual([]);
  });

  it("every metric constructed anywhere in the sources is documented, and every documented one exists", () => {
    const inSource = new Map<string, string>();
    for (const pkg of ["shared", "collector", "health-checker", "liquidator", "manager", "devnet", "bench"]) {
      for (const file of sourceFiles(join(ROOT, pkg, "src"))) {
        const { names, unreadable } = metricNamesInSource(readFileSync(file, "utf8"));
        expect(unreadable, `${relative(ROOT, file)}: a metric constructor without a literal \`name: "..."\` first; this test cannot read it`).toBe(0);
        for (const name of names) inSource.set(name, relative(ROOT, file));
      }
    }
    expect(inSource.size).toBeGreaterThan(20);
    const undocumented = [...inSource].filter(([name]) => !docs.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(undocumented, `metrics missing from ${DOC_PATH}`).toEqual([]);
    const stale = [...docs.keys()].filter((name) => !known.has(name) && !inSource.has(name));
    expect(stale, `${DOC_PATH} documents metrics nothing registers`).toEqual([]);
  });

  it("every metric a dashboard query or variable reads exists (histogram series: _bucket, _sum, _count)", () => {
    const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title ?? "?", expr: t.expr ?? "" })));
    for (const v of dashboard.templating?.list ?? []) {
      const q = typeof v.query === "string" ? v.query : (v.query?.query ?? "");
      // label_values(metric, label) reads `metric`
      const m = /label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{[^}]*\})?\s*,/.exec(q);
      if (m !== null) exprs.push({ panel: "variables", expr: m[1]! });
    }
    expect(exprs.length).toBeGreaterThan(10);
    const unknown: string[] = [];
    for (const { panel, expr } of exprs) {
      const names = metricsInExpr(expr);
      if (names.length === 0) unknown.push(`${panel}: no metric in "${expr}"`);
      for (const name of names) if (!known.has(baseMetric(name, known)) && !PROMETHEUS_SERIES.has(name)) unknown.push(`${panel}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  it("every metric the PromQL on docs/metrics.md reads exists (promql blocks, alert exprs)", () => {
    const exprs = [
      ...[...doc.matchAll(/```promql\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n")),
      ...[...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((m) => [...m[1]!.matchAll(/^\s*expr:\s*(.+)$/gm)].map((e) => e[1]!)),
    ].filter((e) => e.trim() !== "");
    expect(exprs.length).toBeGreaterThan(10);
    const unknown = exprs.flatMap((expr) => metricsInExpr(expr).filter((name) => !known.has(baseMetric(name, known)) && !PROMETHEUS_SERIES.has(name)).map((name) => `${name} in "${expr}"`));
    expect(unknown).toEqual([]);
  });

  it("has the operator's panels, each reading its metric", () => {
    const required: [title: RegExp, metric: string][] = [
      [/queue depth/i, "manager_queue_depth"],
      [/instances/i, "manager_instances"],
      [/liquidations/i, "liquidator_attempts_total"],
      [/profit/i, "liquidator_realized_profit_uusd_total"],
      [/commit.to.broadcast/i, "liquidator_detect_to_send_seconds_bucket"],
    ];
    for (const [title, metric] of required) {
      const matching = panels.filter((p) => title.test(p.title ?? ""));
      expect(matching.length, `a panel titled ${title}`).toBeGreaterThan(0);
      const reads = matching.some((p) => (p.targets ?? []).some((t) => metricsInExpr(t.expr ?? "").includes(metric)));
      expect(reads, `a panel titled ${title} queries ${metric}`).toBe(true);
    }
  });

  it("imports with a ${DS_PROMETHEUS} datasource input that every panel and query uses", () => {
    expect(dashboard.__inputs).toContainEqual(expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" }));
    for (const p of panels) {
      expect(p.datasource?.uid, `panel "${p.title}"`).toBe("${DS_PROMETHEUS}");
      for (const t of p.targets ?? []) expect(t.datasource?.uid, `a query of panel "${p.title}"`).toBe("${DS_PROMETHEUS}");
    }
    for (const v of dashboard.templating?.list ?? []) if (v.datasource !== undefined) expect(v.datasource.uid).toBe("${DS_PROMETHEUS}");
  });

  it("the checks fail on what they are meant to catch", () => {
    const metric: RegisteredMetric = { name: "manager_queue_depth", type: "gauge", labels: ["queue"] };
    expect(docProblems(metric, docs, /^manager /)).toEqual([]);
    const withoutRow = doc
      .split("\n")
      .filter((l) => !l.startsWith("| `manager_queue_depth` |"))
      .join("\n");
    expect(docProblems(metric, documentedMetrics(withoutRow), /^manager /)).toEqual([`manager_queue_depth (gauge) has no row in ${DOC_PATH}`]);
    expect(docProblems({ ...metric, type: "counter", labels: ["queue", "state"] }, docs, /^collector /)).toHaveLength(3);
    expect(metricNamesInSource('new Gauge({ name: "a_b", help: "x" }); new Counter({ help: "x", name: "c" })')).toEqual({ names: ["a_b"], unreadable: 1 });
    expect(metricsInExpr('histogram_quantile(0.95, sum by (le) (rate(liquidator_detect_to_send_seconds_bucket{chain=~"$chain"}[$__rate_interval])))')).toEqual(["liquidator_detect_to_send_seconds_bucket"]);
    expect(metricsInExpr('sum(label_replace(manager_queue_dpeth, "queue", "health", "queue", "health:.*")) / 1e6')).toEqual(["manager_queue_dpeth"]);
    expect(baseMetric("manager_instances_bucket", known)).toBe("manager_instances_bucket");
  });
});

describe("the manager's metrics follow the blocks it handles", () => {
  const redis = connectTestRedis();
  const namespace = uniqueNamespace();
  afterAll(async () => {
    await deleteNamespace(redis, namespace);
    await redis.quit();
  });

  it("queue depths, instances, height and the per-block counters of the block settled SETTLED_AFTER_BLOCKS ago", async () => {
    const logger = createLogger({ service: "test", level: "silent" });
    const keys = pipelineKeys({ chain: "osmosis", product: "redbank" }, namespace);
    const registry = createMetricsRegistry({ service: "manager" });
    const running: Record<WorkerService, number> = { collector: 2, "health-checker": 1, liquidator: 3 };
    const orchestrator: Orchestrator = {
      kind: "fake",
      status: async (spec) => ({ running: running[spec.service], pending: 0, desired: running[spec.service] }),
      scale: async (spec, count) => void (running[spec.service] = count),
      close: async () => undefined,
    };
    const spec = (service: WorkerService): WorkloadSpec => ({ service, chain: "osmosis", product: "redbank", deployment: namespace, image: "", env: {} });
    const counters = new BlockCounters({ redis, keys });
    const manager = new Manager({
      redis,
      keys,
      logger,
      orchestrator,
      planner: new WorkPlanner({ redis, keys, logger, product: "redbank", shards: 2, rescanEveryBlocks: 0 }),
      counters,
      specs: { collector: spec("collector"), "health-checker": spec("health-checker"), liquidator: spec("liquidator") },
      limits: { collector: { min: 0, max: 8 }, "health-checker": { min: 0, max: 8 }, liquidator: { min: 0, max: 8 } },
      parallelism: { collector: 1, "health-checker": 1, liquidator: 1 },
      timeframeBlocks: 1,
      headroom: 1,
      scaleDownAfterBlocks: 100,
      shards: 2,
      metrics: createManagerMetrics(registry),
    });
    const queue = (name: string) => new ReliableQueue({ redis, keys: keys.queue(name), logger });
    const item = (i: number) => ({ id: `backlog:${i}`, height: 90, data: { shard: 0 } });
    await queue(QUEUES.collect).push([item(1), item(2), item(3)]);
    await queue(QUEUES.health(1)).push([item(4), item(5)]);
    const height = 100;
    await counters.incrMany(height - SETTLED_AFTER_BLOCKS, { discovered: 4, checked: 7, unhealthy: 3, liquidated: 1, missed: 2 });
    await counters.incrMany(height - 1, { checked: 1_000 }); // in the report, not yet in the counters

    const report = await manager.onBlock(height);

    const value = async (name: string, labels: Record<string, string> = {}) => {
      const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
      return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
    };
    expect(await value("manager_queue_depth", { queue: "collect" })).toBe(3);
    expect(await value("manager_queue_depth", { queue: "health:1" })).toBe(2);
    expect(await value("manager_queue_depth", { queue: "health:0" })).toBe(0);
    expect(await value("manager_queue_depth", { queue: "liquidate" })).toBe(0);
    expect(report.backlog).toEqual({ collector: 3, "health-checker": 2, liquidator: 0 });
    for (const service of ["collector", "health-checker", "liquidator"] as const) {
      expect(await value("manager_instances", { service })).toBe(report.instances[service]);
      expect(await value("manager_instances_target", { service })).toBe(report.targets[service]);
    }
    expect(await value("manager_block_height")).toBe(height);
    expect(await value("manager_block_lag_blocks")).toBe(0);
    expect(await value("manager_blocks_handled_total")).toBe(1);
    expect(Math.abs(Date.now() / 1000 - (await value("manager_last_block_timestamp_seconds"))!)).toBeLessThan(10);
    expect(await value("manager_accounts_discovered_total")).toBe(4);
    expect(await value("manager_positions_checked_total")).toBe(7);
    expect(await value("manager_positions_unhealthy_total")).toBe(3);
    expect(await value("manager_positions_liquidated_total")).toBe(1);
    expect(await value("manager_work_missed_total")).toBe(2);
    expect(report.checked).toBe(1_000);
    expect(report.settled).toEqual({ height: height - SETTLED_AFTER_BLOCKS, liquidated: 1, missed: 2 });
  });
});
