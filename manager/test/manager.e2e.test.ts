/**
 * The manager with the process orchestrator, against a devnet and a real Redis, running the real
 * services as child processes: a backlog at block N is met by the right instance count at once,
 * sustained slack scales down, a killed instance is replaced, nothing queued is lost on the way,
 * and stopping the manager stops the fleet.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { QUEUES, ReliableQueue, parseConfig, pipelineKeys, type CollectWork } from "@mlb/shared";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";
import { useDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { buildManager, managerConfigSchema, type BlockReport, type ManagerConfig } from "../src/index.js";
import { proxy } from "./support/ws-proxy.js";
import { until } from "./support/until.js";

/** Pids of the service processes of one Redis namespace (read from /proc). */
function servicePids(service: string, namespace: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
      if (!cmd.includes(`${service}/dist/main.js`)) continue;
      if (readFileSync(`/proc/${d}/environ`, "utf8").split("\0").includes(`REDIS_NAMESPACE=${namespace}`)) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe("manager with the process orchestrator", () => {
  const devnet = useDevnet(["--positions", "100", "--block-time-ms", "500", "--funded", "4", "--activity", "0"]);
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const s of stops) await s().catch(() => undefined);
  });

  it("sizes the collectors to a backlog within one block, scales down after slack, replaces a killed one, loses nothing", async () => {
    const t = devnet();
    const env = pipelineEnv(t, "redbank", {
      RPC_WEBSOCKET_ENDPOINT: `${t.ready.rpc.replace(/^http/, "ws")}/websocket`,
      WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC,
      EXECUTOR_CONFIG: JSON.stringify({ MAX_LIQUIDATORS: 4, SIGNERS_PER_INSTANCE: 2 }),
      POSITION_SHARDS: "2",
      MAX_COLLECTOR_COUNT: "3",
      MAX_HEALTHCHECK_COUNT: "2",
      MAX_EXECUTOR_COUNT: "1",
      SCALE_DOWN_AFTER_BLOCKS: "4",
      RESCAN_BLOCKS: "0",
    });
    const config = parseConfig("manager", managerConfigSchema, env) as ManagerConfig;
    const deps = testDeps(config);
    const app = buildManager(config, deps, { onStalled: () => undefined });
    await app.shell.start();
    stops.push(() => app.shell.stop(), () => deps.close());
    const keys = pipelineKeys({ chain: t.chain, product: "redbank" }, config.REDIS_NAMESPACE);
    const reports = async () => (await deps.redis.lrange(keys.reports, 0, -1)).map((r) => JSON.parse(r) as BlockReport);
    const ns = config.REDIS_NAMESPACE;

    // Every service up at its minimum.
    await until("one instance of each service", async () => (await reports()).some((r) => r.instances.collector === 1 && r.instances["health-checker"] === 1 && r.instances.liquidator === 1));

    // A backlog appears: 60 blocks' worth of collector work.
    const collect = new ReliableQueue<CollectWork>({ redis: deps.redis, keys: keys.queue(QUEUES.collect), logger: deps.logger });
    const status = (await t.admin<{ height: number }>("GET", "/status")).body.height;
    await collect.push(Array.from({ length: 60 }, (_, i) => ({ id: `backlog:${i}`, height: Math.max(1, status - 60 + i), data: { kind: "block" as const } })));
    const pushedAt = Date.now();
    const reacted = await until("a report that saw the backlog", async () => (await reports()).find((r) => r.backlog.collector >= 30));
    expect(reacted.targets.collector).toBe(3);
    await until("3 collector processes", () => servicePids("collector", ns).length === 3 || undefined);
    console.info(`backlog → 3 collector processes in ${Date.now() - pushedAt} ms`);

    // The backlog is worked off; nothing lost.
    await until("the collect queue empty", async () => {
      const d = await collect.depth();
      return d.pending + d.processing === 0 || undefined;
    });
    expect((await collect.depth()).dead).toBe(0);

    // Sustained slack: back to the minimum after SCALE_DOWN_AFTER_BLOCKS blocks.
    await until("collectors back to 1", () => servicePids("collector", ns).length === 1 || undefined, 30_000);

    // A killed health checker is replaced.
    const [victim] = servicePids("health-checker", ns);
    process.kill(victim!, "SIGKILL");
    await until("a new health checker", () => {
      const pids = servicePids("health-checker", ns);
      return (pids.length === 1 && pids[0] !== victim) || undefined;
    });

    // Stopping the manager stops the fleet.
    await app.shell.stop();
    for (const s of ["collector", "health-checker", "liquidator"]) expect(servicePids(s, ns), s).toEqual([]);
  }, 120_000);

  it("reports every block without a gap across a websocket the chain side dropped", async () => {
    const t = devnet();
    const ws = await proxy(new URL(t.ready.rpc));
    stops.push(ws.close);
    const env = pipelineEnv(t, "redbank", {
      RPC_WEBSOCKET_ENDPOINT: ws.url,
      WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC,
      EXECUTOR_CONFIG: JSON.stringify({ MAX_LIQUIDATORS: 4, SIGNERS_PER_INSTANCE: 2 }),
      POSITION_SHARDS: "2",
      MAX_COLLECTOR_COUNT: "1",
      MAX_HEALTHCHECK_COUNT: "1",
      MAX_EXECUTOR_COUNT: "1",
      RESCAN_BLOCKS: "0",
    });
    const config = parseConfig("manager", managerConfigSchema, env) as ManagerConfig;
    const deps = testDeps(config);
    const app = buildManager(config, testDeps(config), { onStalled: () => undefined });
    await app.shell.start();
    stops.push(() => app.shell.stop(), () => deps.close());
    const keys = pipelineKeys({ chain: t.chain, product: "redbank" }, config.REDIS_NAMESPACE);
    const heights = async () => (await deps.redis.lrange(keys.reports, 0, -1)).map((r) => (JSON.parse(r) as BlockReport).height);
    await until("a few reports", async () => ((await heights()).length >= 3 ? true : undefined));
    ws.cut(2_000); // the connection drops and stays refused for 4 blocks
    const resumeAt = (await t.admin<{ height: number }>("GET", "/status")).body.height + 4;
    await until("reports past the outage", async () => ((await heights()).at(-1)! >= resumeAt + 2 ? true : undefined));
    await app.shell.stop();
    const hs = await heights();
    expect(app.watcher.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(app.watcher.stats.backfilled).toBeGreaterThan(0);
    for (let i = 1; i < hs.length; i++) expect(hs[i], `after ${hs[i - 1]}`).toBe(hs[i - 1]! + 1);
  }, 120_000);
});
