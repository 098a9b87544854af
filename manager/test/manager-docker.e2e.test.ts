/**
 * The manager with the docker orchestrator against a real Docker engine, the real service images,
 * a devnet and the run's Redis: a backlog gets a new container processing items within seconds,
 * and a restarted manager adopts the running containers by their labels.
 */
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { QUEUES, ReliableQueue, parseConfig, pipelineKeys, type CollectWork } from "@mlb/shared";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";
import { useDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { buildManager, managerConfigSchema, type BlockReport, type ManagerConfig } from "../src/index.js";
import { until } from "./support/until.js";

const docker = new Docker();

describe("manager with the docker orchestrator", () => {
  const devnet = useDevnet(["--positions", "50", "--block-time-ms", "500", "--funded", "4", "--activity", "0"]);
  let deployment = "";
  afterAll(async () => {
    const left = await docker.listContainers({ all: true, filters: { label: [`io.mlb.deployment=${deployment}`] } });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  });

  it("a backlog gets a new container processing items in seconds; a restarted manager adopts its containers", async () => {
    const t = devnet();
    const env = pipelineEnv(t, "redbank", {
      ORCHESTRATOR: "docker",
      RPC_WEBSOCKET_ENDPOINT: `${t.ready.rpc.replace(/^http/, "ws")}/websocket`,
      WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC,
      EXECUTOR_CONFIG: JSON.stringify({ MAX_LIQUIDATORS: 4, SIGNERS_PER_INSTANCE: 2 }),
      POSITION_SHARDS: "2",
      MAX_COLLECTOR_COUNT: "8",
      MAX_HEALTHCHECK_COUNT: "1",
      MAX_EXECUTOR_COUNT: "1",
      RESCAN_BLOCKS: "0",
      SCALE_DOWN_AFTER_BLOCKS: "1000",
      SCALE_TO_ZERO_ON_EXIT: "0",
      LOG_LEVEL: "info",
    });
    const config = parseConfig("manager", managerConfigSchema, env) as ManagerConfig;
    deployment = config.REDIS_NAMESPACE;
    const byLabel = async (service: string) =>
      (await docker.listContainers({ filters: { label: [`io.mlb.deployment=${deployment}`, `io.mlb.service=${service}`], status: ["running"] } })).filter((c) => !c.Names.some((n) => n.endsWith("-draining")));
    const deps = testDeps(config);
    const first = buildManager(config, testDeps(config), { onStalled: () => undefined });
    await first.shell.start();
    const keys = pipelineKeys({ chain: t.chain, product: "redbank" }, config.REDIS_NAMESPACE);
    const reports = async () => (await deps.redis.lrange(keys.reports, 0, -1)).map((r) => JSON.parse(r) as BlockReport);
    // Ready, settled (every target reached) and the first full scan worked off. On a busy machine that
    // scan may have brought more collectors; the maximum stays well above them so the backlog below can
    // still add one even if the manager scaled once more since its last report.
    await until("ready containers and no backlog", async () => {
      const last = (await reports()).at(-1);
      return (
        last !== undefined &&
        last.instances.collector >= 1 &&
        last.instances.collector === last.targets.collector &&
        last.instances.collector <= 6 &&
        last.instances["health-checker"] === 1 &&
        last.instances.liquidator === 1 &&
        last.backlog.collector === 0
      );
    }).catch(async (err: unknown) => {
      const all = await docker.listContainers({ all: true, filters: { label: [`io.mlb.deployment=${deployment}`] } });
      throw new Error(`${String(err)}; containers: ${JSON.stringify(all.map((c) => [c.Names, c.State, c.Status]))}; last report: ${JSON.stringify((await reports()).at(-1))}`);
    });

    // A backlog: how long until a new collector container is processing items?
    const collect = new ReliableQueue<CollectWork>({ redis: deps.redis, keys: keys.queue(QUEUES.collect), logger: deps.logger });
    const before = new Set((await collect.consumers()).map((c) => c.id));
    const collectorsBefore = (await byLabel("collector")).length;
    expect(collectorsBefore).toBeLessThan(8);
    const height = (await t.admin<{ height: number }>("GET", "/status")).body.height;
    const t0 = Date.now();
    // Shard scans: each a few raw-state reads, seconds of work in all for the running collectors.
    await collect.push(Array.from({ length: 1_000 }, (_, i) => ({ id: `backlog:${i}`, height, data: { kind: "scan" as const, shard: i % 2 } })));
    await until("a new collector consumer that processed items", async () => (await collect.consumers()).some((c) => !before.has(c.id) && ((c.heartbeat?.processed ?? 0) > 0 || c.processing > 0)), 90_000).catch(async (err: unknown) => {
      const all = await docker.listContainers({ all: true, filters: { label: [`io.mlb.deployment=${deployment}`] } });
      throw new Error(`${String(err)}; containers: ${JSON.stringify(all.map((c) => [c.Names, c.State, c.Status]))}; last reports: ${JSON.stringify((await reports()).slice(-3))}`);
    });
    const ms = Date.now() - t0;
    console.info(`backlog → a new collector container processing items in ${ms} ms`);
    expect((await byLabel("collector")).length).toBeGreaterThan(collectorsBefore);
    await until("the backlog worked off", async () => {
      const d = await collect.depth();
      return d.pending + d.processing === 0;
    });
    expect((await collect.depth()).dead).toBe(0);

    // The manager restarts (without stopping its fleet): the new one adopts the containers by label.
    await first.shell.stop();
    const running = { collector: (await byLabel("collector")).length, "health-checker": (await byLabel("health-checker")).length, liquidator: (await byLabel("liquidator")).length };
    expect(running.collector).toBeGreaterThan(collectorsBefore);
    expect([running["health-checker"], running.liquidator]).toEqual([1, 1]);
    const seen = (await reports()).length;
    const second = buildManager({ ...config, SCALE_TO_ZERO_ON_EXIT: true }, testDeps(config), { onStalled: () => undefined });
    await second.shell.start();
    const adopted = await until("a report of the restarted manager", async () => (await reports())[seen]);
    expect(adopted.instances).toEqual(running);
    expect({ collector: (await byLabel("collector")).length, "health-checker": (await byLabel("health-checker")).length, liquidator: (await byLabel("liquidator")).length }).toEqual(running);

    // Stopping it (scale to zero) stops every container.
    await second.shell.stop();
    await until("no running container", async () => (await docker.listContainers({ filters: { label: [`io.mlb.deployment=${deployment}`], status: ["running"] } })).length === 0, 60_000);
    await deps.close();
  }, 180_000);
});
