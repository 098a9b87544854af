import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRedisUrl, uniqueNamespace } from "./support/redis.js";
import { freePort } from "./support/redis-server.js";
import { ROOT, SERVICES, TEST_MNEMONIC, requiredEnv, type ServiceName } from "./support/service-process.js";

// The four service images, as `make docker_build` builds them (scripts/docker/build.sh), run for
// real: each container starts on the host network with only env vars, serves /healthz, /readyz
// (so it reached the test Redis) and /metrics, runs as a non-root user, and stops cleanly.
// Needs a Docker engine: `make test` starts one; no silent skip when it is missing.

const DEFAULT_PORTS: Record<ServiceName, number> = { manager: 9100, collector: 9101, "health-checker": 9102, liquidator: 9103 };
const BUILD_TIMEOUT_MS = 15 * 60_000;
const HEALTH_TIMEOUT_MS = 30_000;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI; never throws on a non-zero exit (callers check `code`). */
function docker(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile("docker", args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() || (error && !stderr ? String(error) : "") });
    });
  });
}

/** Like {@link docker} but fails the test with the command's output on a non-zero exit. */
async function dockerOk(args: string[], env: Record<string, string> = {}, timeoutMs?: number): Promise<string> {
  const r = await docker(args, env, timeoutMs);
  if (r.code !== 0) throw new Error(`docker ${args.join(" ")} exited ${r.code}:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

/** Runs a bash script of the repository, collecting its output. */
function bashScript(script: string, args: string[], timeoutMs: number): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn("bash", [script, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `docker logs` of a container, for failure messages. */
async function logsOf(id: string): Promise<string> {
  const r = await docker(["logs", "--tail", "200", id]);
  return `--- docker logs ${id.slice(0, 12)} ---\n${r.stdout}${r.stderr}--- end of logs ---`;
}

/** Polls `url` until it answers `status`; fails after `timeoutMs` (or when the container stops) with its logs. */
async function pollUntil(url: string, status: number, containerId: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      if (res.status === status) return { status: res.status, body };
      last = `HTTP ${res.status}: ${body}`;
    } catch (e) {
      last = String(e);
    }
    const running = (await docker(["inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", containerId])).stdout.trim();
    if (!running.startsWith("true")) {
      throw new Error(`container exited before ${url} answered ${status} (running/exit code: ${running}); last: ${last}\n${await logsOf(containerId)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms; last: ${last}\n${await logsOf(containerId)}`);
    }
    await sleep(250);
  }
}

let tag = "";
const started = new Set<string>();

beforeAll(async () => {
  const info = await docker(["info", "--format", "{{.ServerVersion}}"], {}, 20_000);
  if (info.code !== 0) {
    throw new Error(
      "No Docker engine answers `docker info`. Run the tests with `make test` (it installs docker.io and starts dockerd), " +
        "or start an engine with `bash scripts/docker/ensure-dockerd.sh` and run this test again.\n" +
        info.stderr,
    );
  }
  const t0 = Date.now();
  const build = await bashScript("scripts/docker/build.sh", [], BUILD_TIMEOUT_MS);
  if (build.code !== 0) {
    throw new Error(`scripts/docker/build.sh exited ${build.code} after ${Date.now() - t0} ms:\n${build.stderr.slice(-8_000)}\n${build.stdout}`);
  }
  console.log(`scripts/docker/build.sh took ${((Date.now() - t0) / 1000).toFixed(1)} s\n${build.stdout}`);
  const tagged = await bashScript("scripts/docker/image-tag.sh", [], 30_000);
  tag = tagged.stdout.trim();
  expect(tagged.code, tagged.stderr).toBe(0);
}, BUILD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  for (const id of started) await docker(["rm", "-f", id]);
});

describe("service images", () => {
  it("are tagged latest and <branch>-<sha> (or dev) and share the base, node_modules and shared/ layers", async () => {
    expect(tag).toMatch(/^(dev|[A-Za-z0-9_.-]+-[0-9a-f]{4,})$/);
    const layers: string[][] = [];
    for (const service of SERVICES) {
      const latest = await dockerOk(["image", "inspect", "-f", "{{.Id}}", `multichain-${service}:latest`]);
      const versioned = await dockerOk(["image", "inspect", "-f", "{{.Id}}", `multichain-${service}:${tag}`]);
      expect(versioned, `multichain-${service}:${tag} and :latest differ`).toBe(latest);
      layers.push(JSON.parse(await dockerOk(["image", "inspect", "-f", "{{json .RootFS.Layers}}", `multichain-${service}:latest`])) as string[]);
    }
    // Only the last layer (the service's own folder) differs between images; the manager's has the
    // three worker services' folders before its own (their configuration schemas).
    const common = layers[0]!.slice(0, -1);
    expect(common.length).toBeGreaterThanOrEqual(3);
    for (const [i, l] of layers.entries()) {
      expect(l.length).toBe(layers[0]!.length + (SERVICES[i] === "manager" ? 3 : 0));
      expect(l.slice(0, common.length)).toEqual(common);
    }
    expect(new Set(layers.map((l) => l.at(-1))).size).toBe(SERVICES.length);
  });

  it("come from four Dockerfiles that differ only in the service name and port (and the manager's copy of the services it starts)", () => {
    const normalised = SERVICES.map((service) =>
      readFileSync(`${ROOT}${service}/Dockerfile`, "utf8")
        .replace(/# Manager only:[^\n]*\n(COPY [^\n]*\n)+\n/, "")
        .replaceAll(service, "<service>")
        .replaceAll(String(DEFAULT_PORTS[service]), "<port>"),
    );
    for (const [i, text] of normalised.entries()) expect(text, `${SERVICES[i]}/Dockerfile drifted from collector/Dockerfile`).toBe(normalised[0]);
  });

  describe.each(SERVICES)("multichain-%s", (service) => {
    it("runs as non-root on the host network, serves /healthz, /readyz and /metrics, and stops cleanly", async () => {
      const image = `multichain-${service}:latest`;
      const config = JSON.parse(await dockerOk(["image", "inspect", "-f", "{{json .Config}}", image])) as {
        User: string;
        Entrypoint: string[];
        Env: string[];
        ExposedPorts: Record<string, unknown>;
        WorkingDir: string;
      };
      const [uid = "", gid = ""] = config.User.split(":");
      expect(uid, `image user '${config.User}'`).toMatch(/^[1-9][0-9]*$/);
      expect(gid, `image group in '${config.User}'`).toMatch(/^[1-9][0-9]*$/);
      expect(config.Entrypoint).toEqual(["node", "--max-semi-space-size=64", `/app/${service}/dist/main.js`]);
      expect(config.Env).toContain("NODE_ENV=production");
      expect(config.WorkingDir).toBe("/app");
      expect(Object.keys(config.ExposedPorts)).toEqual([`${DEFAULT_PORTS[service]}/tcp`]);

      const port = await freePort();
      // Values go through the docker client's environment (`-e NAME`), not its argv.
      const env: Record<string, string> = {
        REDIS_ENDPOINT: testRedisUrl(),
        REDIS_NAMESPACE: uniqueNamespace(),
        METRICS_HOST: "127.0.0.1",
        METRICS_PORT: String(port),
        LOG_LEVEL: "debug",
        ...requiredEnv(service),
      };
      const name = `mlb-image-test-${service}-${randomUUID().slice(0, 8)}`;
      // No --rm: a container that exits at once must keep its logs for the failure message.
      const id = await dockerOk(["run", "-d", "--name", name, "--network", "host", "--init", ...Object.keys(env).flatMap((k) => ["-e", k]), image], env);
      started.add(id);
      try {
        const base = `http://127.0.0.1:${port}`;
        const health = await pollUntil(`${base}/healthz`, 200, id, HEALTH_TIMEOUT_MS);
        expect(JSON.parse(health.body)).toMatchObject({ status: "ok" });
        // Without a chain the liquidator's executor cannot resolve the contracts and the manager has
        // no block stream: both say so (503).
        const needsChain = service === "liquidator" || service === "manager";
        let ready = await pollUntil(`${base}/readyz`, needsChain ? 503 : 200, id, HEALTH_TIMEOUT_MS);
        for (let i = 0; needsChain && i < 100 && !ready.body.includes('"redis":true'); i++) {
          await new Promise((r) => setTimeout(r, 100));
          ready = await pollUntil(`${base}/readyz`, 503, id, HEALTH_TIMEOUT_MS);
        }
        expect(JSON.parse(ready.body), await logsOf(id)).toMatchObject(needsChain ? { status: "not ready", components: { redis: true } } : { status: "ready", components: { redis: true } });
        const metrics = await fetch(`${base}/metrics`);
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toContain(`service="${service}"`);

        // The configured user, and every process the container really runs, is not root.
        const user = await dockerOk(["inspect", "-f", "{{.Config.User}}", id]);
        expect(user).toBe(config.User);
        const top = await dockerOk(["top", id, "-o", "uid,pid,comm"]);
        const procs = top.split("\n").slice(1).map((l) => l.trim().split(/\s+/));
        expect(procs.map((p) => p[2])).toContain("node");
        for (const p of procs) expect(p[0], `process ${p.join(" ")} runs as root:\n${top}`).toBe(uid);

        // SIGTERM (through --init) ends the service gracefully with exit code 0.
        await dockerOk(["stop", "-t", "15", id], {}, 30_000);
        const exit = await dockerOk(["inspect", "-f", "{{.State.ExitCode}}", id]);
        expect(exit, await logsOf(id)).toBe("0");
        expect(await logsOf(id)).toContain('"msg":"stopped"');
      } finally {
        await docker(["rm", "-f", id]);
        started.delete(id);
      }
    });
  });
});
