import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger, createRedis } from "@mlb/shared";

/**
 * A private redis-server for a benchmark or the demo: a free loopback port, no persistence, its
 * own temp directory. Only the pid it started is ever signalled, and a server left running when
 * its parent exits is killed. (The tests have a fuller helper in test/support/redis-server.ts.)
 */
export interface LocalRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  /** `used_memory` of INFO memory, in bytes. */
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A free loopback TCP port: bind port 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("could not read the port of a probe socket"))));
    });
  });
}

/** Starts redis-server (`REDIS_SERVER_BIN`, else the one on PATH) and waits until it answers PING. */
export async function startLocalRedis(readyTimeoutMs = 10_000): Promise<LocalRedis> {
  const bin = process.env.REDIS_SERVER_BIN ?? "redis-server";
  const dir = mkdtempSync(path.join(tmpdir(), "mlb-redis-"));
  const port = await freePort();
  const child = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (err) => reject(new Error(`could not start ${bin}: ${err.message}; the benchmarks and the demo need a real Redis (apt-get install -y redis-server, or set REDIS_SERVER_BIN)`))),
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => (running.delete(child), resolve())));
  const url = `redis://127.0.0.1:${port}`;
  // ioredis queues commands until it connects (and retries the connection), so one PING waits for the server.
  const client = createRedis({ REDIS_ENDPOINT: url, REDIS_CLUSTER: false }, createLogger({ service: "redis-probe", level: "silent" }), "redis-probe");
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      spawnError,
      exited.then(() => Promise.reject(new Error(`redis-server on port ${port} exited at start (code ${child.exitCode}): ${stderr}`))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`redis-server on port ${port} did not answer PING within ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs))),
    ]);
  } catch (err) {
    client.disconnect();
    child.kill("SIGKILL");
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    url,
    pid: child.pid!,
    usedMemory: async () => Number(/used_memory:(\d+)/.exec(await client.info("memory"))?.[1] ?? NaN),
    async stop() {
      client.disconnect();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
