import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The health checker service's entry point, next to its package's `dist/index.js`. */
export const HEALTH_CHECKER_MAIN = path.join(path.dirname(fileURLToPath(import.meta.resolve("@mlb/health-checker"))), "main.js");

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * One health checker service process (`node health-checker/dist/main.js`, configured by `env`) as
 * a benchmark runs it: its metrics port from the "health server listening" log line, the number of
 * positions it holds from `/metrics`, its RSS from /proc, and a clean SIGTERM stop. A child left
 * running when the benchmark exits is killed.
 */
export class CheckerProcess {
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  readonly #exited: Promise<number | null>;
  readonly #port: Promise<number>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    running.add(child);
    this.#exited = new Promise((resolve) => child.once("exit", (code) => (running.delete(child), resolve(code))));
    this.#port = new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).on("line", (line) => {
        this.#keep(line);
        if (!line.includes('"health server listening"')) return;
        const port = Number((JSON.parse(line) as { port?: unknown }).port);
        if (Number.isInteger(port) && port > 0) resolve(port);
      });
      void this.#exited.then((code) => reject(new Error(`health checker exited with code ${code} before serving metrics\n${this.tail()}`)));
    });
    this.#port.catch(() => undefined);
    createInterface({ input: child.stderr! }).on("line", (line) => this.#keep(line));
  }

  /** Spawns the service with `env` (on top of PATH and HOME only: nothing else of the bench's environment leaks in). */
  static start(env: Record<string, string>, nodeArgs: string[] = []): CheckerProcess {
    const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    return new CheckerProcess(spawn(process.execPath, [...nodeArgs, HEALTH_CHECKER_MAIN], { stdio: ["ignore", "pipe", "pipe"], env: { ...base, ...env } }));
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** The last lines it printed (for error messages). */
  tail(): string {
    return this.#tail.join("\n");
  }

  /**
   * From its `/metrics`: `health_positions_held` (0 until it has taken its first shards) and the
   * sum of `health_shard_eval_seconds` in local mode (time spent evaluating shards, market reads
   * and candidate pushes excluded); and whether `/readyz` answers 200.
   */
  async state(): Promise<{ held: number; evalSeconds: number; ready: boolean }> {
    const base = `http://127.0.0.1:${await this.#port}`;
    const [metrics, ready] = await Promise.all([fetch(`${base}/metrics`).then((r) => r.text()), fetch(`${base}/readyz`).then((r) => r.status === 200)]);
    const held = /^health_positions_held(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1];
    const evalSeconds = /^health_shard_eval_seconds_sum\{[^}]*source="local"[^}]*\} (\S+)$/m.exec(metrics)?.[1];
    return { held: held === undefined ? 0 : Number(held), evalSeconds: evalSeconds === undefined ? 0 : Number(evalSeconds), ready };
  }

  /** VmRSS of the process in bytes (NaN off Linux). */
  rss(): number {
    try {
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.pid}/status`, "utf8"))?.[1] ?? NaN) * 1024;
    } catch {
      return NaN;
    }
  }

  /** SIGTERM (the service finishes or returns its current item), then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #keep(line: string): void {
    this.#tail.push(line.length > 1000 ? `${line.slice(0, 1000)}...` : line);
    if (this.#tail.length > 30) this.#tail.shift();
  }
}

/**
 * Waits until `checkers` have split the positions between them: every one holds some, together
 * they hold exactly `positions`, and every one is ready. (The first to start takes every shard
 * until the others join, so the sum passes `positions` on the way.)
 */
export async function waitForSplit(checkers: readonly CheckerProcess[], positions: number, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let last: { held: number; ready: boolean }[] = [];
  for (;;) {
    last = await Promise.all(checkers.map((c) => c.state().catch(() => ({ held: 0, evalSeconds: 0, ready: false }))));
    const sum = last.reduce((a, s) => a + s.held, 0);
    if (sum === positions && last.every((s) => s.held > 0 && s.ready)) return last.map((s) => s.held);
    if (Date.now() > deadline) {
      throw new Error(`health checkers did not split ${positions} positions within ${timeoutMs} ms (held: ${last.map((s) => s.held).join(", ")})\n${checkers.map((c) => c.tail()).join("\n---\n")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
