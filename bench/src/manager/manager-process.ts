import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { BlockReport } from "@mlb/manager";
import { childrenOf, isAlive } from "./proc.js";

/**
 * The fields of the manager's per-block report (`BlockReport`, as it logs it as "block report" and
 * pushes it to `<namespace>{chain:product}:reports`) the benchmark reads. The benchmark runs the
 * manager's build as a process; it takes only this type from the package.
 */
export type ManagerReport = Pick<BlockReport, "height" | "checked" | "unhealthy" | "liquidated" | "missed" | "lag" | "backlog" | "instances" | "targets">;

/** A "block report" line: the report and the log line's time (unix ms). */
export interface ReportLine {
  time: number;
  report: ManagerReport;
}

const running = new Set<ManagerProcess>();
process.on("exit", () => {
  for (const manager of running) manager.kill();
});

/** SIGKILL by pid, if the process that started at `startTicks` is still alive; whether it was. */
function killIfAlive(p: { pid: number; startTicks: number }): boolean {
  if (!isAlive(p.pid, p.startTicks)) return false;
  try {
    process.kill(p.pid, "SIGKILL");
  } catch {
    // exited meanwhile
  }
  return true;
}

/**
 * The real manager as a child process (`node <root>/manager/dist/main.js`, configured by `env`
 * on top of PATH and HOME only), its JSON log on stdout read line by line: "block report" lines are
 * queued for `nextReport`, the last lines kept for error messages. The services it starts are
 * remembered (pid and start time, read from /proc at every report), so that any still alive
 * after the manager is gone (it crashed, or did not stop them) can be killed by pid. A manager
 * left running when the benchmark exits is killed, and its services with it.
 */
export class ManagerProcess {
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  readonly #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #reports: ReportLine[] = [];
  /** Every child seen, by `<pid>:<start ticks>`. */
  readonly #children = new Map<string, { pid: number; startTicks: number }>();
  #wake: (() => void) | undefined;

  private constructor(child: ChildProcess) {
    this.#child = child;
    running.add(this);
    this.#exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        running.delete(this);
        resolve({ code, signal });
        this.#wake?.();
      }),
    );
    createInterface({ input: child.stdout! }).on("line", (line) => this.#line(line));
    createInterface({ input: child.stderr! }).on("line", (line) => this.#keep(line));
  }

  /** Spawns `<root>/manager/dist/main.js`; throws when it has not been built. */
  static start(root: string, env: Record<string, string>): ManagerProcess {
    const main = path.join(root, "manager", "dist", "main.js");
    if (!existsSync(main)) throw new Error(`${main} is missing: build the manager first (npx tsc -b manager, or make bench, which builds everything)`);
    const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    return new ManagerProcess(spawn(process.execPath, [main], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...base, ...env } }));
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The last lines it printed (for error messages). */
  tail(): string {
    return this.#tail.join("\n");
  }

  /** The next "block report" line not taken yet; throws if none comes within `timeoutMs` or the manager exits. */
  async nextReport(timeoutMs: number): Promise<ReportLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.#reports.shift();
      if (next) return next;
      if (!this.running) throw new Error(`the manager exited (code ${this.#child.exitCode}, signal ${this.#child.signalCode}) before its next block report\n${this.tail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no block report from the manager within ${timeoutMs} ms\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      this.#wake = undefined;
    }
  }

  /**
   * SIGTERM (the manager stops its watcher, then scales every service to zero and waits for them),
   * SIGKILL after `graceMs`; then every service it started that is still alive (which would be a
   * bug, or the manager crashed) is SIGKILLed by pid and counted in `childrenLeft`. Also for a
   * manager that has already exited.
   */
  async stop(graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; killed: boolean; childrenLeft: number }> {
    const t0 = performance.now();
    let killed = false;
    if (this.running) {
      this.#remember();
      this.#child.kill("SIGTERM");
      const timer = setTimeout(() => {
        killed = true;
        this.#child.kill("SIGKILL");
      }, graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    const { code, signal } = await this.#exited;
    const childrenLeft = [...this.#children.values()].filter(killIfAlive).length;
    return { code, signal, ms: performance.now() - t0, killed, childrenLeft };
  }

  /** SIGKILL now, its services first (at the benchmark's exit). */
  kill(): void {
    if (this.running) this.#remember();
    for (const c of this.#children.values()) killIfAlive(c);
    this.#child.kill("SIGKILL");
  }

  #remember(): void {
    for (const c of childrenOf(this.pid)) this.#children.set(`${c.pid}:${c.startTicks}`, { pid: c.pid, startTicks: c.startTicks });
  }

  #line(line: string): void {
    if (line.includes('"block report"')) {
      try {
        const o = JSON.parse(line) as { time: number; report: ManagerReport };
        this.#reports.push({ time: o.time, report: o.report });
        this.#remember();
        this.#wake?.();
        return;
      } catch {
        // not a JSON line after all: kept below
      }
    }
    this.#keep(line);
  }

  #keep(line: string): void {
    this.#tail.push(line.length > 2000 ? `${line.slice(0, 2000)}...` : line);
    if (this.#tail.length > 40) this.#tail.shift();
  }
}
