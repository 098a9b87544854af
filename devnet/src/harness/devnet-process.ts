import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { DevnetReady } from "../devnet.js";
import { dec, decStr } from "../math/decimal.js";

/** The devnet's CLI entry point (`dist/main.js`). */
export const DEVNET_MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "main.js");

/** The phases of one block as the chain logs them at debug level ("block committed"). */
export interface BlockLog {
  height: number;
  txs: number;
  /** Wall-clock time of the log line (unix ms). */
  time: number;
  ms: { begin: number; deliver: number; commit: number; recheck: number; events: number; total: number };
}

/** `GET /status` of the admin API (memory in bytes: process.memoryUsage() of the devnet). */
export interface DevnetStatus {
  height: number;
  redBankPositions: number;
  memory?: { rss: number; heapTotal: number; heapUsed: number; external: number };
}

export interface DevnetProcessOptions {
  /** Flags after `main.js` (ports are always 0: free ports). */
  flags: string[];
  /** LOG_LEVEL of the devnet (debug: one line per block with its timings). */
  logLevel?: string;
  readyTimeoutMs?: number;
  /** Node options before main.js (diagnostics: `--trace-gc`, `--cpu-prof`, `--max-old-space-size=…`). */
  nodeArgs?: string[];
  /** Every stdout/stderr line of the devnet, as it comes. */
  onLine?: (line: string) => void;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * A devnet started as a child process (`node devnet/dist/main.js ... --*-port 0`): waits for the
 * ready line, keeps the chain's per-block timing lines, and talks to the admin API. Only ever
 * 127.0.0.1. A child left running when its parent exits is killed. The benchmarks and `make demo` use it.
 */
export class DevnetProcess {
  readonly blocks = new Map<number, BlockLog>();
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  #exited: Promise<number | null>;
  ready!: DevnetReady;
  /** Spawn to ready line, wall-clock ms. */
  startupMs = 0;

  readonly #onLine: ((line: string) => void) | undefined;

  private constructor(child: ChildProcess, onLine: ((line: string) => void) | undefined) {
    this.#child = child;
    this.#onLine = onLine;
    running.add(child);
    this.#exited = new Promise((resolve) => child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    }));
  }

  get pid(): number {
    return this.#child.pid!;
  }

  static async start(options: DevnetProcessOptions): Promise<DevnetProcess> {
    const ports = ["--rpc-port", "0", "--lcd-port", "0", "--hive-port", "0", "--admin-port", "0"];
    const t0 = performance.now();
    // A young generation of up to 64 MB, as the services run with: a burst of transactions allocates fast.
    const child = spawn(process.execPath, ["--max-semi-space-size=64", ...(options.nodeArgs ?? []), DEVNET_MAIN, ...options.flags, ...ports], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LOG_LEVEL: options.logLevel ?? "info" },
    });
    const p = new DevnetProcess(child, options.onLine);
    const ready = new Promise<DevnetReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`devnet not ready after ${options.readyTimeoutMs ?? 600_000} ms\n${p.tail()}`)), options.readyTimeoutMs ?? 600_000);
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const parsed = p.#line(line);
        if (parsed?.event === "devnet.ready") {
          clearTimeout(timer);
          resolve(parsed as unknown as DevnetReady);
        }
      });
      createInterface({ input: child.stderr! }).on("line", (line) => p.#keep(line));
      void p.#exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`devnet exited with code ${code} before it was ready\n${p.tail()}`));
      });
    });
    try {
      p.ready = await ready;
    } catch (err) {
      await p.stop();
      throw err;
    }
    p.startupMs = performance.now() - t0;
    return p;
  }

  /** The last lines the devnet printed (for error messages). */
  tail(): string {
    return this.#tail.join("\n");
  }

  /** GET or POST on the admin API. */
  async admin<T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.ready.admin}${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new Error(`admin ${method} ${route}: ${(err as Error).message}${cause ? ` (${cause})` : ""}; devnet ${this.#child.exitCode === null ? "running" : `exited ${this.#child.exitCode}`}\n${this.tail()}`);
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`admin ${method} ${route}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  /**
   * Drops every oracle price but the neutral asset's by `pct` percent (`POST /prices`, both the
   * default and the liquidation price); the next block is the first with the new prices.
   */
  async crash(pct: number): Promise<Record<string, string>> {
    const neutral = this.ready.denoms.find((d) => d.role === "neutral")!.denom;
    const crashed: Record<string, string> = {};
    for (const [denom, price] of Object.entries(await this.prices())) if (denom !== neutral) crashed[denom] = decStr((dec(price) * BigInt(100 - pct)) / 100n);
    await this.setPrices(crashed);
    return crashed;
  }

  /** The oracle's prices by denom, as the oracle contract answers them now. */
  async prices(): Promise<Record<string, string>> {
    const query = Buffer.from(JSON.stringify({ prices: { limit: 100 } })).toString("base64");
    const res = await fetch(`${this.ready.lcd}/cosmwasm/wasm/v1/contract/${this.ready.contracts.oracle}/smart/${query}`);
    if (!res.ok) throw new Error(`oracle prices: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    const { data } = (await res.json()) as { data: { denom: string; price: string }[] };
    return Object.fromEntries(data.map((p) => [p.denom, p.price]));
  }

  /** Sets oracle prices (`POST /prices`, both the default and the liquidation price); the next block is the first with them. */
  async setPrices(prices: Record<string, string>): Promise<void> {
    await this.admin("POST", "/prices", { prices });
  }

  status(): Promise<DevnetStatus> {
    return this.admin<DevnetStatus>("GET", "/status");
  }

  /** VmRSS and VmHWM (peak RSS) of the devnet process in bytes, from /proc (undefined off Linux). */
  procMemory(): { rss: number; peakRss: number } | undefined {
    try {
      const s = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? NaN) * 1024;
      return { rss: kb("VmRSS"), peakRss: kb("VmHWM") };
    } catch {
      return undefined;
    }
  }

  /**
   * CPU time the devnet process has used so far (user + system), in ms, from /proc (10 ms ticks;
   * undefined off Linux).
   */
  cpuMs(): number | undefined {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${this.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }

  /** Resolves once the chain has committed a block above `height`; returns the new height. */
  async waitForHeightAbove(height: number, timeoutMs = 30_000, pollMs = 5): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const h = (await this.status()).height;
      if (h > height) return h;
      if (Date.now() > deadline) throw new Error(`no block above ${height} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #line(line: string): Record<string, unknown> | undefined {
    this.#keep(line);
    if (!line.startsWith("{")) return undefined;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (o.msg === "block committed" && typeof o.height === "number" && o.ms) {
      this.blocks.set(o.height, { height: o.height, txs: Number(o.txs), time: Number(o.time), ms: o.ms as BlockLog["ms"] });
      if (this.blocks.size > 2000) this.blocks.delete(this.blocks.keys().next().value!);
    }
    return o;
  }

  #keep(line: string): void {
    this.#onLine?.(line);
    if (line.includes('"block committed"')) return;
    this.#tail.push(line.length > 2000 ? `${line.slice(0, 2000)}...` : line);
    if (this.#tail.length > 40) this.#tail.shift();
  }
}
