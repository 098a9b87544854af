/**
 * The docker orchestrator against a real Docker engine and the real `multichain-collector` image
 * (built locally by scripts/docker/build.sh when missing), with the run's test Redis; no chain
 * (the collector starts and waits for work without one). Needs a Docker engine: `make test`
 * starts one (scripts/docker/ensure-dockerd.sh); no silent skip when it is missing.
 *
 * Every test uses its own deployment label, and every container with that label is removed
 * afterwards, also when the test fails.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CONFIG_HASH_LABEL, DRAINING_SUFFIX, DockerOrchestrator, demuxLogs } from "../src/orchestrators/docker.js";
import { workloadLabels, type WorkloadSpec, type WorkloadStatus } from "../src/orchestrators/orchestrator.js";
import { testRedisUrl, uniqueNamespace } from "../../test/support/redis.js";
import { ROOT, requiredEnv } from "../../test/support/service-process.js";
import { memoryLogger, type LogSink } from "./fakes/log-sink.js";

const IMAGE = "multichain-collector:latest";
const BUILD_TIMEOUT_MS = 15 * 60_000;
const docker = new Docker();

/** Runs the docker CLI (to show that plain `docker logs` / `docker kill` work on these containers). */
function dockerCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("docker", args, { timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls status until it equals `want`; returns how long that took (ms). */
async function waitForStatus(o: DockerOrchestrator, s: WorkloadSpec, want: WorkloadStatus, timeoutMs = 30_000): Promise<number> {
  const t0 = Date.now();
  let last: WorkloadStatus | undefined;
  await waitFor(`status ${JSON.stringify(want)}`, async () => {
    last = await o.status(s);
    return last.running === want.running && last.pending === want.pending && last.desired === want.desired;
  }, timeoutMs).catch((err: Error) => {
    throw new Error(`${err.message}; last status ${JSON.stringify(last)}`);
  });
  return Date.now() - t0;
}

/** Every container (any state) with the workload's labels. */
function containersOf(s: WorkloadSpec): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: Object.entries(workloadLabels(s)).map(([k, v]) => `${k}=${v}`) } });
}

async function removeDeployment(deployment: string): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [`io.mlb.deployment=${deployment}`] } });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

beforeAll(async () => {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(
      "No Docker engine answers (DOCKER_HOST or /var/run/docker.sock). Run the tests with `make test` (it installs docker.io and starts dockerd), " +
        `or start an engine with \`bash scripts/docker/ensure-dockerd.sh\` and run this test again. (${String(err)})`,
    );
  }
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    // Not built yet on this machine: build it the documented way (LOCAL_BASE_IMAGE as the caller set it).
    const t0 = Date.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn("bash", ["scripts/docker/build.sh", "collector"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr.on("data", (c: Buffer) => (output += c.toString()));
      const timer = setTimeout(() => child.kill("SIGTERM"), BUILD_TIMEOUT_MS);
      child.on("close", (c) => (clearTimeout(timer), resolve({ code: c, output })));
    });
    if (code !== 0) throw new Error(`${IMAGE} is missing and scripts/docker/build.sh collector exited ${code} after ${Date.now() - t0} ms:\n${output.slice(-8_000)}`);
    console.log(`built ${IMAGE} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}, BUILD_TIMEOUT_MS + 60_000);

describe("DockerOrchestrator (real engine, multichain-collector)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  /** A fresh deployment (own labels), its spec, a log sink and an orchestrator; all cleaned up after the test. */
  function setup(envExtra: Record<string, string> = {}) {
    const deployment = `orchtest-${randomBytes(4).toString("hex")}`;
    const namespace = uniqueNamespace();
    const spec: WorkloadSpec = {
      service: "collector",
      chain: "osmosis",
      product: "redbank",
      deployment,
      image: IMAGE,
      env: { ...requiredEnv("collector"), REDIS_ENDPOINT: testRedisUrl(), REDIS_NAMESPACE: namespace, METRICS_HOST: "127.0.0.1", METRICS_PORT: "0", ...envExtra },
    };
    const orchestrators: DockerOrchestrator[] = [];
    const open = (logs: LogSink = memoryLogger(), options: { stopGraceMs?: number; readyTimeoutMs?: number } = {}) => {
      const o = new DockerOrchestrator({ logger: logs.logger, docker: new Docker(), stopGraceMs: 10_000, ...options });
      orchestrators.push(o);
      return o;
    };
    cleanups.push(async () => {
      for (const o of orchestrators) await o.close();
      await removeDeployment(deployment);
    });
    return { deployment, namespace, spec, open };
  }

  it("scales 0 → 2 → 1 → 0: labelled host-network containers, adopted by a restarted manager, stopped with SIGTERM", async () => {
    const { deployment, namespace, spec, open } = setup();
    const logsA = memoryLogger();
    const a = open(logsA);
    expect(await a.status(spec)).toEqual({ running: 0, pending: 0, desired: 0 });

    const t0 = Date.now();
    await a.scale(spec, 2);
    const scaleMs = Date.now() - t0;
    const right = await a.status(spec);
    expect(right.running + right.pending).toBe(2);
    await waitForStatus(a, spec, { running: 2, pending: 0, desired: 2 });
    const readyMs = Date.now() - t0;
    const created = await containersOf(spec);
    expect(created.map((c) => c.State)).toEqual(["running", "running"]);
    const states = await Promise.all(created.map((c) => docker.getContainer(c.Id).inspect()));
    const runningMs = Math.max(...states.map((s) => Date.parse(s.State.StartedAt))) - t0;
    console.log(`docker: scale(2) returned in ${scaleMs} ms; both containers running ${runningMs} ms and ready ("service started") ${readyMs} ms after scale()`);

    for (const c of states) {
      expect(c.Name).toMatch(new RegExp(`^/mlb-${deployment}-osmosis-redbank-collector-[0-9a-f]{8}$`));
      // Ours (the image brings its own org.opencontainers.* labels too).
      const ours = Object.fromEntries(Object.entries(c.Config.Labels).filter(([k]) => k.startsWith("io.mlb.")));
      expect(ours).toEqual({ ...workloadLabels(spec), [CONFIG_HASH_LABEL]: expect.stringMatching(/^[0-9a-f]{16}$/) });
      // No env value ends up in a label.
      for (const value of Object.values(c.Config.Labels)) expect(Object.values(spec.env)).not.toContain(value);
      expect(c.HostConfig).toMatchObject({ NetworkMode: "host", Init: true, RestartPolicy: { Name: "no" } });
      expect(c.Config.Env).toEqual(expect.arrayContaining(Object.entries(spec.env).map(([k, v]) => `${k}=${v}`)));
      expect(c.Config.Image).toBe(IMAGE);
    }
    // Plain `docker logs` shows the service's output.
    const cliLogs = await dockerCli(["logs", created[0]!.Id]);
    expect(cliLogs.code).toBe(0);
    expect(cliLogs.stdout).toContain('"msg":"service started"');
    expect(cliLogs.stdout).toContain(namespace);

    // A restarted manager: a new orchestrator with its own client finds the same containers by label.
    const logsB = memoryLogger();
    const b = open(logsB);
    expect(await b.status(spec)).toEqual({ running: 2, pending: 0, desired: 2 });

    // Scale down drains the newest; at once neither manager counts it.
    await a.scale(spec, 1);
    expect(await b.status(spec)).toEqual({ running: 1, pending: 0, desired: 1 });
    expect(await a.status(spec)).toEqual({ running: 1, pending: 0, desired: 1 });
    const newest = [...created].sort((x, y) => y.Created - x.Created || y.Names[0]!.localeCompare(x.Names[0]!))[0]!;
    const stoppedByA = await waitFor("A's 'instance stopped'", () => logsA.lines.find((l) => l.msg === "instance stopped"));
    expect(logsA.lines.find((l) => l.msg === "stopping instance")).toMatchObject({ name: newest.Names[0]!.slice(1), renamedTo: `${newest.Names[0]!.slice(1)}${DRAINING_SUFFIX}` });
    expect(stoppedByA).toMatchObject({ exitCode: 0, killed: false, name: newest.Names[0]!.slice(1) });
    await waitFor("the drained container to be removed", async () => (await containersOf(spec)).length === 1);

    // The restarted manager scales the rest down: SIGTERM → the collector's own "stopped" line, exit 0.
    const t1 = Date.now();
    await b.scale(spec, 0);
    await b.close(); // waits for the stop it requested
    const stopMs = Date.now() - t1;
    expect(await containersOf(spec)).toEqual([]);
    expect(await b.status(spec)).toEqual({ running: 0, pending: 0, desired: 0 });
    const stoppedByB = logsB.lines.find((l) => l.msg === "instance stopped");
    expect(stoppedByB).toMatchObject({ exitCode: 0, killed: false });
    expect(Number(stoppedByB!.stopMs)).toBeLessThan(10_000);
    const before = logsB.lines.find((l) => l.msg === "instance output before stop");
    expect(JSON.stringify(before?.lastLines)).toContain('\\"msg\\":\\"stopped\\"');
    console.log(`docker: scale(0) to container removed ${stopMs} ms (stop took ${String(stoppedByB!.stopMs)} ms)`);
    for (const logs of [logsA, logsB]) expect(logs.lines.filter((l) => l.msg === "instance exited")).toEqual([]);
    // The environment never reaches the manager's own log lines (only quoted container output does).
    for (const logs of [logsA, logsB]) {
      const own = logs.lines.filter((l) => !("lastLines" in l));
      expect(JSON.stringify(own)).not.toContain(testRedisUrl());
    }
  });

  it("removes a container killed with `docker kill` (logging its exit) and replaces it on the next scale", async () => {
    const { spec, open } = setup();
    const logs = memoryLogger();
    const o = open(logs);
    await o.scale(spec, 2);
    await waitForStatus(o, spec, { running: 2, pending: 0, desired: 2 });
    const [victim, survivor] = await containersOf(spec);
    expect((await dockerCli(["kill", victim!.Id])).code).toBe(0);

    const t0 = Date.now();
    await waitForStatus(o, spec, { running: 1, pending: 0, desired: 1 });
    const goneMs = Date.now() - t0;
    expect((await containersOf(spec)).map((c) => c.Id)).toEqual([survivor!.Id]);
    const exited = logs.lines.find((l) => l.msg === "instance exited");
    expect(exited).toMatchObject({ level: "warn", container: victim!.Id.slice(0, 12), exitCode: 137, oomKilled: false, wasReady: true });
    expect(JSON.stringify(exited!.lastLines)).toContain("service started");

    const t1 = Date.now();
    await o.scale(spec, 2);
    await waitForStatus(o, spec, { running: 2, pending: 0, desired: 2 });
    console.log(`docker: killed container seen and removed within ${goneMs} ms; replacement ready ${Date.now() - t1} ms after scale()`);
    const now = (await containersOf(spec)).map((c) => c.Id);
    expect(now).toHaveLength(2);
    expect(now).toContain(survivor!.Id);
    expect(now).not.toContain(victim!.Id);
  });

  it("replaces containers of an older configuration when a restarted manager's spec changed", async () => {
    const { spec, open } = setup();
    const a = open();
    await a.scale(spec, 1);
    await waitForStatus(a, spec, { running: 1, pending: 0, desired: 1 });
    const [old] = await containersOf(spec);

    const changed: WorkloadSpec = { ...spec, env: { ...spec.env, COLLECT_WORKERS: "3" } };
    const logs = memoryLogger();
    const b = open(logs);
    // The old container does not count for the new configuration, so the manager scales.
    expect(await b.status(changed)).toEqual({ running: 0, pending: 0, desired: 0 });
    await b.scale(changed, 1);
    await waitForStatus(b, changed, { running: 1, pending: 0, desired: 1 });
    await waitFor("the old container to be drained and removed", async () => (await containersOf(spec)).length === 1);
    const [fresh] = await containersOf(spec);
    expect(fresh!.Id).not.toBe(old!.Id);
    expect(fresh!.Labels[CONFIG_HASH_LABEL]).not.toBe(old!.Labels[CONFIG_HASH_LABEL]);
    expect(logs.lines.find((l) => l.msg === "stopping instance")).toMatchObject({ reason: "older configuration (image or environment changed)", container: old!.Id.slice(0, 12) });
    expect(logs.lines.find((l) => l.msg === "instance stopped")).toMatchObject({ exitCode: 0 });
  });
});

describe("DockerOrchestrator readiness (real engine)", () => {
  let deployment = "";
  afterEach(async () => {
    if (deployment) await removeDeployment(deployment);
  });

  it("counts a container that never logs 'service started' as pending, then stops it (SIGKILL after the grace)", async () => {
    deployment = `orchtest-${randomBytes(4).toString("hex")}`;
    // No Redis answers on port 1: the collector's start waits for it, so it never reports started.
    const spec: WorkloadSpec = {
      service: "collector", chain: "osmosis", product: "redbank", deployment, image: IMAGE,
      env: { ...requiredEnv("collector"), REDIS_ENDPOINT: "redis://127.0.0.1:1", METRICS_HOST: "127.0.0.1" },
    };
    const logs = memoryLogger();
    const o = new DockerOrchestrator({ logger: logs.logger, readyTimeoutMs: 2_000, stopGraceMs: 1_000 });
    await o.scale(spec, 1);
    await waitFor("the container to run", async () => (await containersOf(spec))[0]?.State === "running");
    expect(await o.status(spec)).toEqual({ running: 0, pending: 1, desired: 1 });
    const warned = await waitFor("the not-ready warning", async () => {
      await o.status(spec);
      return logs.lines.find((l) => l.msg === "instance not ready in time, stopping it");
    });
    expect(warned).toMatchObject({ level: "warn", readyTimeoutMs: 2_000 });
    expect(JSON.stringify(warned.lastLines)).toContain("redis reconnecting");
    expect(await o.status(spec)).toEqual({ running: 0, pending: 0, desired: 0 });
    await o.close();
    // This collector does not exit on SIGTERM while Redis is unreachable, so the engine kills it after t=1 s.
    expect(logs.lines.find((l) => l.msg === "instance stopped")).toMatchObject({ exitCode: 137, killed: true });
    expect(await containersOf(spec)).toEqual([]);
  });
});

describe("demuxLogs", () => {
  it.each([
    ["two frames", Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 3]), Buffer.from("ab\n"), Buffer.from([2, 0, 0, 0, 0, 0, 0, 2]), Buffer.from("c\n")]), "ab\nc\n"],
    ["a TTY log (no frames)", Buffer.from("plain text\n"), "plain text\n"],
    ["empty", Buffer.alloc(0), ""],
  ])("%s", (_name, raw, text) => {
    expect(demuxLogs(raw)).toBe(text);
  });
});
