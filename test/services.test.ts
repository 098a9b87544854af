import { afterEach, describe, expect, it } from "vitest";
import { testRedisUrl, uniqueNamespace } from "./support/redis.js";
import { SERVICES, TEST_MNEMONIC, requiredEnv, startService, type ServiceProcess } from "./support/service-process.js";

const running: ServiceProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill("SIGKILL");
});

/** Settings every service needs to start; the liquidator also needs its wallet. */
function baseEnv(service: string): Record<string, string> {
  return {
    REDIS_ENDPOINT: testRedisUrl(),
    REDIS_NAMESPACE: uniqueNamespace(),
    METRICS_HOST: "127.0.0.1",
    METRICS_PORT: "0",
    ...requiredEnv(service),
  };
}

/** Polls /readyz until it answers 200 (Redis connects in the background); returns the last body. */
async function pollReady(base: string, timeoutMs = 15_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}/readyz`);
    const body: unknown = await res.json();
    if (res.status === 200 || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(SERVICES)("%s process", (service) => {
  it("exits 2 on an invalid configuration and names every bad variable", async () => {
    const bad = {
      LOG_LEVEL: "loud",
      METRICS_PORT: "http",
      PRODUCT: "perps",
      RPC_ENDPOINT: "ftp://node",
      REDIS_ENDPOINT: "http://127.0.0.1:6379",
      ...(service === "liquidator" ? { WALLET_MNEMONIC: "only three words" } : {}),
    };
    const p = startService(service, bad);
    expect(await p.exited).toBe(2);
    const stderr = p.stderr.join("");
    expect(stderr).toContain(`invalid configuration for ${service}`);
    for (const variable of Object.keys(bad)) expect(stderr).toMatch(new RegExp(`^  ${variable}: `, "m"));
    expect(p.stdout.join("")).toBe("");
  });

  it("prints every variable with --help and exits 0", async () => {
    const p = startService(service, {}, ["--help"]);
    expect(await p.exited).toBe(0);
    const help = p.stdout.join("\n");
    for (const variable of ["LOG_LEVEL", "REDIS_ENDPOINT", "CHAIN_NAME", "METRICS_PORT"]) expect(help).toContain(variable);
  });

  it("serves /healthz and /readyz, then stops cleanly on SIGTERM with exit 0", async () => {
    const p = startService(service, baseEnv(service));
    running.push(p);
    const listening = await p.waitForLog((l) => l.msg === "health server listening");
    const base = `http://127.0.0.1:${String(listening.port)}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await p.waitForLog((l) => l.msg === "service started");
    if (service === "liquidator" || service === "manager") {
      // No chain in this test: the liquidator's executor cannot resolve the contracts and the
      // manager's block watcher has no websocket, so neither may report ready.
      let body: unknown;
      for (let i = 0; i < 100; i++) {
        body = await (await fetch(`${base}/readyz`)).json();
        if ((body as { components: { redis?: boolean; signers?: boolean } }).components.redis && (service === "manager" || (body as { components: { signers?: boolean } }).components.signers)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toMatchObject(
        service === "liquidator"
          ? { status: "not ready", components: { redis: true, signers: true, executor: false } }
          : { status: "not ready", components: { redis: true, "block-watcher": false } },
      );
    } else {
      expect(await pollReady(base)).toMatchObject({ status: "ready", components: { redis: true } });
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(`service="${service}"`);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    await p.waitForLog((l) => l.msg === "stopped" && l.service === service);
  });
});
