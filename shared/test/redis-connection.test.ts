import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startRedisServer, type RedisServer } from "../../test/support/redis-server.js";
import { Secret } from "../src/config/secret.js";
import { AccountLock } from "../src/lock/account-lock.js";
import { ReliableQueue } from "../src/queue/reliable-queue.js";
import { createRedis, parseRedisEndpoint, type RedisClient, type RedisSettings } from "../src/redis/connection.js";
import { pipelineKeys } from "../src/redis/keys.js";
import { BlockCounters } from "../src/stats/block-counters.js";
import { memoryLogger, waitFor } from "./helpers/redis-fixture.js";

const settings = (over: Partial<RedisSettings>): RedisSettings => ({ REDIS_ENDPOINT: "redis://127.0.0.1:6379", REDIS_CLUSTER: false, ...over });

async function closeAll(clients: RedisClient[]) {
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
}

describe("parseRedisEndpoint", () => {
  it.each([
    ["127.0.0.1:6380", { host: "127.0.0.1", port: 6380, db: 0, tls: false }],
    ["redis://cache:6379/3", { host: "cache", port: 6379, db: 3, tls: false }],
    ["rediss://user:p%40ss@cache.example.com", { host: "cache.example.com", port: 6379, username: "user", password: "p@ss", tls: true }],
    ["redis://[::1]:7000", { host: "::1", port: 7000 }],
  ])("%s", (endpoint, expected) => {
    expect(parseRedisEndpoint(endpoint)).toMatchObject(expected);
  });

  it.each([
    ["http://cache:6379", "must use redis:// or rediss://, got http://"],
    ["redis://cache:6379/x", "the database must be a number, got x"],
  ])("rejects %s", (endpoint, message) => {
    expect(() => parseRedisEndpoint(endpoint)).toThrow(message);
  });
});

describe("createRedis against real servers", () => {
  it("authenticates with a password in the URL or in REDIS_PASSWORD", async () => {
    const server = await startRedisServer({ password: "hunter2-but-longer" });
    const { logger } = memoryLogger();
    const fromUrl = createRedis(settings({ REDIS_ENDPOINT: `redis://:hunter2-but-longer@127.0.0.1:${server.port}` }), logger, "url");
    const fromSecret = createRedis(settings({ REDIS_ENDPOINT: `127.0.0.1:${server.port}`, REDIS_PASSWORD: new Secret("hunter2-but-longer") }), logger, "secret");
    try {
      expect(await fromUrl.ping()).toBe("PONG");
      expect(await fromSecret.ping()).toBe("PONG");
    } finally {
      await closeAll([fromUrl, fromSecret]);
      await server.stop();
    }
  });

  it("connects over TLS (rediss://) with a private CA", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redis-tls-"));
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    const tlsPort = await freePort();
    const server = await startRedisServer({
      extraArgs: ["--tls-port", String(tlsPort), "--tls-cert-file", join(dir, "cert.pem"), "--tls-key-file", join(dir, "key.pem"), "--tls-auth-clients", "no"],
    });
    const { logger } = memoryLogger();
    const client = createRedis(settings({ REDIS_ENDPOINT: `rediss://127.0.0.1:${tlsPort}`, REDIS_TLS_CA_FILE: join(dir, "cert.pem") }), logger, "tls");
    try {
      expect(await client.ping()).toBe("PONG");
      const [[, info]] = (await client.pipeline().client("INFO").exec()) as [[null, string]];
      expect(info).toContain(`laddr=127.0.0.1:${tlsPort}`);
    } finally {
      await closeAll([client]);
      await server.stop();
    }
  });
});

describe("Redis Cluster (three local masters)", () => {
  const nodes: RedisServer[] = [];
  let client: RedisClient;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      nodes.push(await startRedisServer({ extraArgs: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"] }));
    }
    execFileSync("redis-cli", ["--cluster", "create", ...nodes.map((n) => `127.0.0.1:${n.port}`), "--cluster-replicas", "0", "--cluster-yes"], { stdio: "ignore" });
    const { logger } = memoryLogger();
    client = createRedis(settings({ REDIS_ENDPOINT: "127.0.0.1:1", REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(",") }), logger, "cluster");
    await waitFor(async () => (await client.cluster("INFO")).includes("cluster_state:ok"), () => "cluster_state never became ok");
  });

  afterAll(async () => {
    await closeAll([client]);
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it("runs the queue, lock and counter scripts of two pipelines that live on different nodes", async () => {
    const { logger } = memoryLogger("warn");
    const pipelines = [pipelineKeys({ chain: "osmosis", product: "redbank" }, "cl"), pipelineKeys({ chain: "neutron", product: "rover" }, "cl")];
    const slots = await Promise.all(pipelines.map((p) => client.cluster("KEYSLOT", p.queue("health").pending)));
    expect(slots[0]).not.toBe(slots[1]);

    for (const keys of pipelines) {
      const queue = new ReliableQueue<{ n: number }>({ redis: client, keys: keys.queue("health"), logger });
      const seen: number[] = [];
      const consumer = queue.consumer({ consumerId: "c1", batchSize: 20, blockTimeoutMs: 100, heartbeatTtlMs: 1_000, handler: async (item) => void seen.push(item.data.n) });
      await queue.push(Array.from({ length: 100 }, (_, n) => ({ id: `i${n}`, height: 7, data: { n } })));
      await consumer.start();
      await waitFor(() => seen.length === 100, () => `processed ${seen.length} of 100`);
      await consumer.stop();
      expect(new Set(seen).size).toBe(100);
      expect(await queue.depth()).toMatchObject({ pending: 0, processing: 0, dead: 0 });

      const lock = new AccountLock(client);
      const token = await lock.acquire(keys.accountLock("osmo1abc"), 5_000);
      expect(token).not.toBeNull();
      expect(await lock.acquire(keys.accountLock("osmo1abc"), 5_000)).toBeNull();
      expect(await lock.release(keys.accountLock("osmo1abc"), token!)).toBe(true);

      const counters = new BlockCounters({ redis: client, keys });
      await counters.incr(7, "checked", 100);
      expect(await counters.read(7)).toEqual({ checked: 100 });
    }
  });
});
