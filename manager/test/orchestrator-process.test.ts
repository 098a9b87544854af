/**
 * The process orchestrator with real child processes: a stub service (written per test into a
 * temporary root as `<service>/dist/main.js`) for counts, env, output and signals, and the queue
 * fixture service (test/fixtures/queue-service.mjs, a real ServiceShell around a queue consumer
 * on the test Redis) for draining.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReliableQueue, createLogger, pipelineKeys } from "@mlb/shared";
import { ProcessOrchestrator } from "../src/orchestrators/process.js";
import type { WorkloadSpec, WorkloadStatus } from "../src/orchestrators/orchestrator.js";
import { connectTestRedis, deleteNamespace, testRedisUrl, uniqueNamespace } from "../../test/support/redis.js";
import { ROOT } from "../../test/support/service-process.js";
import { memoryLogger, type LogSink } from "./fakes/log-sink.js";

/**
 * A service stand-in: logs its pid and environment, then "service started" (unless
 * STUB_NEVER_READY), a line on stderr, and on SIGTERM "stopped" and exit 0 (unless
 * STUB_IGNORE_TERM). Its lines are pino-shaped JSON.
 */
const STUB = `
const log = (msg, extra = {}) => process.stdout.write(JSON.stringify({ level: "info", msg, pid: process.pid, ...extra }) + "\\n");
log("environment", { env: { ...process.env } });
if (!process.env.STUB_NEVER_READY) log("service started", { metricsPort: 0 });
process.stderr.write("a line on stderr\\n");
process.on("SIGTERM", () => {
  if (process.env.STUB_IGNORE_TERM) return log("ignoring SIGTERM");
  log("stopping");
  setTimeout(() => { log("stopped"); process.exit(0); }, Number(process.env.STUB_STOP_MS ?? 0));
});
setInterval(() => {}, 1 << 30);
`;

const QUEUE_FIXTURE = pathToFileURL(join(ROOT, "test/fixtures/queue-service.mjs")).href;

function spec(service: WorkloadSpec["service"], env: Record<string, string>, deployment = "test"): WorkloadSpec {
  return { service, chain: "osmosis", product: "redbank", deployment, image: "unused", env };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Polls status until it equals `want`; returns how long that took. */
async function waitForStatus(o: ProcessOrchestrator, s: WorkloadSpec, want: WorkloadStatus, timeoutMs = 15_000): Promise<number> {
  const t0 = Date.now();
  let last: WorkloadStatus | undefined;
  await waitFor(`status ${JSON.stringify(want)} (last ${JSON.stringify(last)})`, async () => {
    last = await o.status(s);
    return last.running === want.running && last.pending === want.pending && last.desired === want.desired;
  }, timeoutMs);
  return Date.now() - t0;
}

/** Lines the orchestrator forwarded from instance output, parsed. */
function forwarded(logs: LogSink, msg?: string): { instance: string; line: Record<string, unknown> }[] {
  return logs.lines
    .filter((l) => l.msg === "instance output" && l.stream === "stdout")
    .map((l) => ({ instance: String(l.instance), line: JSON.parse(String(l.line)) as Record<string, unknown> }))
    .filter((l) => msg === undefined || l.line.msg === msg);
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("ProcessOrchestrator", () => {
  let root: string;
  let logs: LogSink;
  let orchestrator: ProcessOrchestrator;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "mlb-process-orchestrator-"));
    for (const [service, source] of [["collector", STUB], ["health-checker", `import ${JSON.stringify(QUEUE_FIXTURE)};\n`]] as const) {
      mkdirSync(join(root, service, "dist"), { recursive: true });
      writeFileSync(join(root, service, "dist", "main.js"), source);
    }
    logs = memoryLogger();
    orchestrator = new ProcessOrchestrator({ root, logger: logs.logger, stopGraceMs: 5_000 });
  });

  afterEach(async () => {
    await orchestrator.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("scales 0 → 3 → 1 → 0, stopping the newest first with SIGTERM, and forwards output tagged by instance", async () => {
    const s = spec("collector", { A: "1" });
    expect(await orchestrator.status(s)).toEqual({ running: 0, pending: 0, desired: 0 });

    const t0 = Date.now();
    await orchestrator.scale(s, 3);
    const scaleMs = Date.now() - t0;
    const right = await orchestrator.status(s);
    expect(right.running + right.pending).toBe(3);
    const readyMs = await waitForStatus(orchestrator, s, { running: 3, pending: 0, desired: 3 });
    console.log(`process: scale(3) returned in ${scaleMs} ms; all 3 ready ${readyMs} ms later`);

    const started = forwarded(logs, "service started");
    expect(new Set(started.map((l) => l.instance)).size).toBe(3);
    for (const { instance } of started) expect(instance).toMatch(/^collector-[0-9a-f]{8}$/);
    const ready = logs.lines.filter((l) => l.msg === "instance ready");
    expect(ready).toHaveLength(3);
    expect(ready[0]).toMatchObject({ component: "orchestrator", orchestrator: "process", workload: "mlb-test-osmosis-redbank-collector", service: "manager", level: "info" });
    // stderr is forwarded too, at debug.
    expect(logs.lines.filter((l) => l.msg === "instance output" && l.stream === "stderr" && l.line === "a line on stderr")).toHaveLength(3);
    expect(logs.lines.find((l) => l.msg === "instance output")).toMatchObject({ level: "debug" });

    // Spawn order is the order of the "instance started" lines; the two newest must go.
    const order = logs.lines.filter((l) => l.msg === "instance started").map((l) => ({ instance: String(l.instance), pid: Number(l.pid) }));
    expect(order).toHaveLength(3);
    await orchestrator.scale(s, 1);
    // Instances being stopped stop counting at once.
    expect(await orchestrator.status(s)).toEqual({ running: 1, pending: 0, desired: 1 });
    await waitFor("the two newest to exit", () => !isAlive(order[1]!.pid) && !isAlive(order[2]!.pid));
    expect(isAlive(order[0]!.pid)).toBe(true);
    const stopped = () => logs.lines.filter((l) => l.msg === "instance stopped");
    await waitFor("two 'instance stopped' lines", () => stopped().length === 2);
    expect(stopped().map((l) => l.instance).sort()).toEqual([order[1]!.instance, order[2]!.instance].sort());
    for (const l of stopped()) expect(l).toMatchObject({ exitCode: 0, signal: null });
    // They got SIGTERM (not SIGKILL): each logged its own "stopped".
    expect(forwarded(logs, "stopped").map((l) => l.instance).sort()).toEqual([order[1]!.instance, order[2]!.instance].sort());

    await orchestrator.scale(s, 0);
    await waitFor("the last one to exit", () => !isAlive(order[0]!.pid));
    expect(await orchestrator.status(s)).toEqual({ running: 0, pending: 0, desired: 0 });
    expect(logs.lines.filter((l) => l.msg === "instance exited")).toEqual([]);
  });

  it("passes exactly spec.env plus PATH, with METRICS_PORT=0 unless the spec sets one", async () => {
    const a = spec("collector", { FOO: "bar", LOG_LEVEL: "debug" }, "env-a");
    const b = spec("collector", { METRICS_PORT: "9123" }, "env-b");
    await orchestrator.scale(a, 1);
    await orchestrator.scale(b, 1);
    await waitForStatus(orchestrator, a, { running: 1, pending: 0, desired: 1 });
    await waitForStatus(orchestrator, b, { running: 1, pending: 0, desired: 1 });
    const envs = forwarded(logs, "environment").map((l) => l.line.env);
    expect(envs).toHaveLength(2);
    expect(envs).toContainEqual({ PATH: process.env.PATH, FOO: "bar", LOG_LEVEL: "debug", METRICS_PORT: "0" });
    expect(envs).toContainEqual({ PATH: process.env.PATH, METRICS_PORT: "9123" });
    // The environment itself is never logged by the orchestrator (only the stub prints it).
    expect(logs.lines.filter((l) => l.msg !== "instance output" && JSON.stringify(l).includes("bar"))).toEqual([]);
  });

  it("drops a SIGKILLed child from the count, logs its exit, and the next scale replaces it", async () => {
    const s = spec("collector", {});
    await orchestrator.scale(s, 2);
    await waitForStatus(orchestrator, s, { running: 2, pending: 0, desired: 2 });
    const [victim, survivor] = logs.lines.filter((l) => l.msg === "instance started").map((l) => ({ instance: String(l.instance), pid: Number(l.pid) }));
    process.kill(victim!.pid, "SIGKILL");
    const goneMs = await waitForStatus(orchestrator, s, { running: 1, pending: 0, desired: 2 });
    const exit = await waitFor("the exit line", () => logs.lines.find((l) => l.msg === "instance exited"));
    expect(exit).toMatchObject({ level: "warn", instance: victim!.instance, exitCode: null, signal: "SIGKILL", wasReady: true });
    expect(exit.lastLines).toEqual(expect.arrayContaining([expect.stringContaining('"msg":"service started"'), "a line on stderr"]));

    const t0 = Date.now();
    await orchestrator.scale(s, 2);
    const replacedMs = await waitForStatus(orchestrator, s, { running: 2, pending: 0, desired: 2 });
    console.log(`process: SIGKILLed child dropped from the count after ${goneMs} ms; replacement ready ${Date.now() - t0} ms after scale (${replacedMs} ms polling)`);
    const pids = logs.lines.filter((l) => l.msg === "instance started").map((l) => Number(l.pid));
    expect(pids).toHaveLength(3);
    expect(isAlive(survivor!.pid)).toBe(true);
    expect(isAlive(pids[2]!)).toBe(true);
  });

  it("SIGKILLs an instance that ignores SIGTERM once the grace is over", async () => {
    const quick = new ProcessOrchestrator({ root, logger: logs.logger, stopGraceMs: 300 });
    const s = spec("collector", { STUB_IGNORE_TERM: "1" });
    await quick.scale(s, 1);
    await waitForStatus(quick, s, { running: 1, pending: 0, desired: 1 });
    const t0 = Date.now();
    await quick.scale(s, 0);
    const stopped = await waitFor("'instance stopped'", () => logs.lines.find((l) => l.msg === "instance stopped"));
    expect(stopped).toMatchObject({ exitCode: null, signal: "SIGKILL" });
    expect(Number(stopped.stopMs)).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(logs.lines.some((l) => l.msg === "instance did not stop within the grace, sending SIGKILL")).toBe(true);
    await quick.close();
  });

  it("counts an instance as pending until it logs 'service started', and stops one that never does", async () => {
    const quick = new ProcessOrchestrator({ root, logger: logs.logger, readyTimeoutMs: 700 });
    const s = spec("collector", { STUB_NEVER_READY: "1" });
    await quick.scale(s, 1);
    await waitFor("the stub to print its environment", () => forwarded(logs, "environment").length === 1);
    expect(await quick.status(s)).toEqual({ running: 0, pending: 1, desired: 1 });
    const warned = await waitFor("the not-ready warning", () => logs.lines.find((l) => l.msg === "instance not ready in time, stopping it"));
    expect(warned).toMatchObject({ level: "warn", readyTimeoutMs: 700 });
    expect(await quick.status(s)).toEqual({ running: 0, pending: 0, desired: 1 });
    await waitFor("'instance stopped'", () => logs.lines.find((l) => l.msg === "instance stopped"));

    // With LOG_LEVEL=warn the line never comes: running once spawned.
    const silent = spec("collector", { STUB_NEVER_READY: "1", LOG_LEVEL: "warn" }, "silent");
    await quick.scale(silent, 1);
    await waitForStatus(quick, silent, { running: 1, pending: 0, desired: 1 });
    await quick.close();
  });

  it("close() stops every child with SIGTERM and waits for them", async () => {
    const a = spec("collector", { STUB_STOP_MS: "300" }, "close-a");
    const b = spec("collector", {}, "close-b");
    await orchestrator.scale(a, 2);
    await orchestrator.scale(b, 1);
    await waitForStatus(orchestrator, a, { running: 2, pending: 0, desired: 2 });
    await waitForStatus(orchestrator, b, { running: 1, pending: 0, desired: 1 });
    const pids = logs.lines.filter((l) => l.msg === "instance started").map((l) => Number(l.pid));
    const t0 = Date.now();
    await orchestrator.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(logs.lines.filter((l) => l.msg === "instance stopped").map((l) => l.exitCode)).toEqual([0, 0, 0]);
    await expect(orchestrator.scale(a, 1)).rejects.toThrow(/closed/);
  });

  it("fails clearly when the service is not built, and rejects a bad count", async () => {
    await expect(orchestrator.scale(spec("liquidator", {}), 1)).rejects.toThrow(/liquidator\/dist\/main\.js is missing \(build it with 'npx tsc -b'\)/);
    await expect(orchestrator.scale(spec("collector", {}), -1)).rejects.toThrow(RangeError);
    await expect(orchestrator.scale(spec("collector", {}), 1.5)).rejects.toThrow(RangeError);
  });

  describe("draining a real queue consumer (test/fixtures/queue-service.mjs)", () => {
    let redis: Redis;
    let namespace: string;
    let queue: ReliableQueue<{ n: number }>;
    const keys = () => pipelineKeys({ chain: "osmosis", product: "redbank" }, namespace);

    beforeEach(async () => {
      redis = connectTestRedis();
      namespace = uniqueNamespace();
      queue = new ReliableQueue({ redis, keys: keys().queue("work"), logger: createLogger({ service: "test", level: "silent" }) });
      await queue.push([{ id: "item-1", height: 100, data: { n: 1 } }]);
    });
    afterEach(async () => {
      await deleteNamespace(redis, namespace);
      await redis.quit();
    });

    const env = (extra: Record<string, string>) => ({ REDIS_URL: testRedisUrl(), NAMESPACE: namespace, RESULTS_KEY: `${namespace}:results`, ...extra });
    const claimed = () => logs.lines.some((l) => l.msg === "instance output" && String(l.line).includes('"msg":"claimed"'));

    it("scale to 0 lets the item in flight finish, then the instance exits 0", async () => {
      const s = spec("health-checker", env({ MODE: "slow", WORK_MS: "1000", STOP_DEADLINE_MS: "10000" }));
      await orchestrator.scale(s, 1);
      await waitFor("the item to be claimed", claimed);
      await orchestrator.scale(s, 0);
      const stopped = await waitFor("'instance stopped'", () => logs.lines.find((l) => l.msg === "instance stopped"));
      expect(stopped).toMatchObject({ exitCode: 0, signal: null });
      expect(await redis.lrange(`${namespace}:results`, 0, -1)).toEqual(["item-1"]);
      expect(await queue.depth()).toMatchObject({ pending: 0, processing: 0, dead: 0, consumers: 0 });
    });

    it("scale to 0 returns an item that does not finish by the service's deadline, then the instance exits 0", async () => {
      const s = spec("health-checker", env({ MODE: "hang", STOP_DEADLINE_MS: "300" }));
      await orchestrator.scale(s, 1);
      await waitFor("the item to be claimed", claimed);
      await orchestrator.scale(s, 0);
      const stopped = await waitFor("'instance stopped'", () => logs.lines.find((l) => l.msg === "instance stopped"));
      expect(stopped).toMatchObject({ exitCode: 0, signal: null });
      expect(await redis.lrange(`${namespace}:results`, 0, -1)).toEqual([]);
      expect(await queue.depth()).toMatchObject({ pending: 1, processing: 0, dead: 0, consumers: 0 });
      expect(JSON.parse((await redis.lindex(keys().queue("work").pending, 0))!)).toMatchObject({ id: "item-1", height: 100 });
    });
  });
});
