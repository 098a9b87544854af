import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../devnet/src/harness/redis-server.js";

/** Options of `startRedisServer`. */
export interface RedisServerOptions {
  /** Turn on the append-only file, so data survives `restart()`. Default false. */
  appendonly?: boolean;
  /** Data directory; a fresh temp directory (removed by `stop()`) when not given. */
  dir?: string;
  /** More redis-server arguments, e.g. `["--tls-port", "0", ...]` or `["--cluster-enabled", "yes"]`. */
  extraArgs?: string[];
  /** Sets `requirepass`; the helper authenticates its own PING and SHUTDOWN. */
  password?: string;
}

/** A private redis-server started for tests; only the pid it started is ever signalled. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** The server's data directory (holds `redis.log`). */
  dir: string;
  /** Shuts the server down (SIGKILL of our own pid if it does not exit) and removes a temp dir. */
  stop(): Promise<void>;
  /**
   * SHUTDOWN (SAVE when appendonly is on, NOSAVE otherwise) and start again on the same port and
   * dir. With appendonly the data survives; without it the restart loses everything, like a crash.
   */
  restart(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 10_000;

/** Finds the redis-server binary: `REDIS_SERVER_BIN`, else the first `redis-server` on PATH. */
export function findRedisServerBinary(): string {
  const explicit = process.env.REDIS_SERVER_BIN;
  const candidates = explicit ? [explicit] : (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((d) => join(d, "redis-server"));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" && (err as NodeJS.ErrnoException).code !== "EACCES") throw err;
    }
  }
  const where = explicit ? `REDIS_SERVER_BIN=${explicit} is not an executable file` : "redis-server is not on PATH";
  throw new Error(`${where}; tests need a real Redis: run \`make test\` (which installs it) or \`apt-get install -y redis-server\``);
}

export { freePort };

/** Sends one inline command over a raw socket and resolves with the first reply line (or "" on close). */
function rawCommand(port: number, command: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${command} from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) {
        clearTimeout(timer);
        socket.end();
        resolve(reply.split("\r\n")[0] ?? "");
      }
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(reply.split("\r\n")[0] ?? "");
    });
  });
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, "redis.log"), "utf8").split("\n").slice(-15).join("\n");
  } catch (err) {
    return `(no redis.log: ${(err as Error).message})`;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Prefixes a raw inline command with AUTH when the server has a password. */
function authed(command: string, password: string | undefined): string {
  return password === undefined ? command : `AUTH ${password}\r\n${command}`;
}

async function spawnServer(bin: string, port: number, dir: string, appendonly: boolean, opts: RedisServerOptions): Promise<ChildProcess> {
  const args = [
    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", appendonly ? "yes" : "no",
    "--dir", dir, "--logfile", join(dir, "redis.log"), "--daemonize", "no", "--protected-mode", "yes",
    ...(opts.password === undefined ? [] : ["--requirepass", opts.password]),
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(bin, args, { stdio: "ignore" });
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = "no reply yet";
  for (;;) {
    if (spawnError) throw new Error(`could not start ${bin}: ${spawnError.message}`, { cause: spawnError });
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${port} exited at start (code ${child.exitCode}, signal ${child.signalCode}); log:\n${logTail(dir)}`);
    }
    try {
      const reply = await rawCommand(port, authed("PING", opts.password));
      if (reply === "+PONG" || (opts.password !== undefined && reply === "+OK")) return child;
      lastError = `reply ${JSON.stringify(reply)}`;
    } catch (err) {
      lastError = (err as Error).message; // not listening yet; retried until the deadline
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms (last: ${lastError}); log:\n${logTail(dir)}`);
    }
    await sleep(20);
  }
}

/**
 * Starts a private redis-server on a free loopback port with `--save ''` in its own directory and
 * waits until it answers PING. Throws, naming the fix, when redis-server is not installed.
 */
export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const bin = findRedisServerBinary();
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "mlb-redis-"));
  const appendonly = opts.appendonly ?? false;
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await spawnServer(bin, port, dir, appendonly, opts);
    } catch (err) {
      // Another process may have taken the probed port in between; try a few other ports.
      if (attempt >= 3) throw err;
    }
  }
  let current: ChildProcess = child;

  async function shutdown(save: boolean): Promise<void> {
    const proc = current;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      await rawCommand(port, authed(save ? "SHUTDOWN SAVE" : "SHUTDOWN NOSAVE", opts.password), EXIT_TIMEOUT_MS);
    } catch (err) {
      // The server closes the socket as it exits; a reset here is expected, a hang is handled below.
      if (!(err instanceof Error) || !/ECONNRESET|EPIPE|ECONNREFUSED/.test(err.message)) throw err;
    }
    if (!(await waitForExit(proc, EXIT_TIMEOUT_MS))) {
      proc.kill("SIGKILL");
      await waitForExit(proc, EXIT_TIMEOUT_MS);
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      try {
        await shutdown(false);
      } finally {
        if (ownDir) rmSync(dir, { recursive: true, force: true });
      }
    },
    async restart() {
      await shutdown(appendonly);
      current = await spawnServer(bin, port, dir, appendonly, opts);
    },
  };
}
