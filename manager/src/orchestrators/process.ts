import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "@mlb/shared";
import { KeyedSerial, LineTail, isReadyLine, readyLineExpected, workloadKey } from "./instance-output.js";
import { workloadName, type Orchestrator, type WorkloadSpec, type WorkloadStatus } from "./orchestrator.js";

export interface ProcessOrchestratorOptions {
  /** Repository root: an instance of `<service>` runs `node <root>/<service>/dist/main.js` with `<root>` as its cwd. */
  root: string;
  logger: Logger;
  /** Time between SIGTERM and SIGKILL when an instance is stopped (ms). Default 15000. */
  stopGraceMs?: number;
  /**
   * An instance that has not logged "service started" this long after it was spawned is stopped
   * (and so replaced by the next `scale`) (ms). Default 60000.
   */
  readyTimeoutMs?: number;
  /** Lines of output quoted when an instance exits on its own. Default 20. */
  tailLines?: number;
}

interface Instance {
  /** `<service>-<8 hex>`, in every log line about the instance. */
  readonly id: string;
  readonly child: ChildProcess;
  readonly spawnedAt: number;
  readonly logger: Logger;
  readonly tail: LineTail;
  /** Resolves once the process has exited and its output is drained. */
  readonly closed: Promise<void>;
  ready: boolean;
  exited: boolean;
  stoppingSince: number | undefined;
  timers: NodeJS.Timeout[];
}

/**
 * Runs each instance as a child process of the manager: `process.execPath
 * <root>/<service>/dist/main.js`, for `make demo`, local runs and tests.
 *
 * - Environment: exactly `spec.env` plus PATH, and `METRICS_PORT=0` unless `spec.env` sets one
 *   (several instances share the host, so each takes a free port and logs it).
 * - Output: stdout and stderr are forwarded line by line to the manager's logger at debug, bound
 *   to `workload` (the workload name) and `instance` (`<service>-<id>`). The manager's own `service`
 *   binding is left alone.
 * - Readiness: an instance counts as `running` once it has logged "service started", `pending`
 *   before; one that stays unready for `readyTimeoutMs` is stopped. When its LOG_LEVEL hides info
 *   lines, it counts as running once spawned.
 * - Scaling down sends SIGTERM to the newest instances (each finishes or returns its queue item and
 *   exits) and SIGKILL after `stopGraceMs`; instances being stopped no longer count.
 * - An instance that exits on its own is dropped at once and its exit (code or signal, last lines)
 *   logged; the next `scale` starts a replacement.
 * - `desired` is the last count asked of `scale` (0 before the first call).
 * - `close()` stops every child (SIGTERM, SIGKILL after the grace) and waits for them: children
 *   would not outlive a clean manager exit anyway, and this way none is cut off mid-item. (A
 *   SIGKILLed manager cannot do this: its children lose their output pipe and exit at their next
 *   log line.)
 */
export class ProcessOrchestrator implements Orchestrator {
  readonly kind = "process";
  readonly #root: string;
  readonly #logger: Logger;
  readonly #stopGraceMs: number;
  readonly #readyTimeoutMs: number;
  readonly #tailLines: number;
  /** Live (not exited) instances per workload, oldest first; stopping ones included. */
  readonly #instances = new Map<string, Instance[]>();
  readonly #desired = new Map<string, number>();
  readonly #serial = new KeyedSerial();
  #closing: Promise<void> | undefined;

  constructor(options: ProcessOrchestratorOptions) {
    this.#root = options.root;
    this.#logger = options.logger.child({ component: "orchestrator", orchestrator: "process" });
    this.#stopGraceMs = options.stopGraceMs ?? 15_000;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.#tailLines = options.tailLines ?? 20;
  }

  status(spec: WorkloadSpec): Promise<WorkloadStatus> {
    const key = workloadKey(spec);
    const counting = this.#counting(key);
    return Promise.resolve({
      running: counting.filter((i) => i.ready).length,
      pending: counting.filter((i) => !i.ready).length,
      desired: this.#desired.get(key) ?? 0,
    });
  }

  scale(spec: WorkloadSpec, count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 0) return Promise.reject(new RangeError(`instance count must be a whole number >= 0, got ${count} (${workloadName(spec)})`));
    if (this.#closing) return Promise.reject(new Error(`process orchestrator is closed; cannot scale ${workloadName(spec)}`));
    const key = workloadKey(spec);
    return this.#serial.run(key, async () => {
      this.#desired.set(key, count);
      const counting = this.#counting(key);
      if (counting.length < count) {
        const entry = join(this.#root, spec.service, "dist", "main.js");
        if (!existsSync(entry)) throw new Error(`cannot start ${spec.service}: ${entry} is missing (build it with 'npx tsc -b')`);
        for (let n = counting.length; n < count; n++) this.#spawn(spec, key, entry);
      }
      if (counting.length > count) {
        const newestFirst = [...counting].reverse();
        for (const instance of newestFirst.slice(0, counting.length - count)) this.#stop(instance, "scale down");
      }
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const all = [...this.#instances.values()].flat();
      for (const instance of all) this.#stop(instance, "orchestrator closing");
      await Promise.all(all.map((i) => i.closed));
    })();
    return this.#closing;
  }

  /** Instances that count for the workload: not exited, not being stopped. */
  #counting(key: string): Instance[] {
    return (this.#instances.get(key) ?? []).filter((i) => !i.exited && i.stoppingSince === undefined);
  }

  #spawn(spec: WorkloadSpec, key: string, entry: string): void {
    const id = `${spec.service}-${randomBytes(4).toString("hex")}`;
    const env = { PATH: process.env.PATH ?? "", METRICS_PORT: "0", ...spec.env };
    // The services' images run node with a young generation of up to 64 MB (their Dockerfiles); so do these.
    const child = spawn(process.execPath, ["--max-semi-space-size=64", entry], { cwd: this.#root, env, stdio: ["ignore", "pipe", "pipe"] });
    const logger = this.#logger.child({ workload: workloadName(spec), instance: id });
    const expectReadyLine = readyLineExpected(spec.env);
    let resolveClosed!: () => void;
    const instance: Instance = {
      id,
      child,
      spawnedAt: Date.now(),
      logger,
      tail: new LineTail(this.#tailLines),
      closed: new Promise((resolve) => (resolveClosed = resolve)),
      ready: false,
      exited: false,
      stoppingSince: undefined,
      timers: [],
    };
    const list = this.#instances.get(key) ?? [];
    list.push(instance);
    this.#instances.set(key, list);

    const markReady = () => {
      if (instance.ready) return;
      instance.ready = true;
      logger.info({ pid: child.pid, startMs: Date.now() - instance.spawnedAt }, "instance ready");
    };
    child.once("spawn", () => {
      logger.info({ pid: child.pid }, "instance started");
      if (!expectReadyLine) markReady();
    });
    for (const [stream, input] of [["stdout", child.stdout!], ["stderr", child.stderr!]] as const) {
      createInterface({ input, crlfDelay: Infinity }).on("line", (line) => {
        instance.tail.push(line);
        if (expectReadyLine && !instance.ready && isReadyLine(line)) markReady();
        logger.debug({ stream, line }, "instance output");
      });
    }
    const readyTimer = setTimeout(() => {
      if (instance.ready || instance.exited || instance.stoppingSince !== undefined) return;
      logger.warn({ pid: child.pid, readyTimeoutMs: this.#readyTimeoutMs, lastLines: instance.tail.lines() }, "instance not ready in time, stopping it");
      this.#stop(instance, "not ready in time");
    }, this.#readyTimeoutMs);
    readyTimer.unref();
    instance.timers.push(readyTimer);

    // `exit` drops it from the count at once; `close` (its output drained) logs the full tail.
    child.once("exit", () => {
      instance.exited = true;
    });
    child.once("error", (err) => {
      // Spawn failed (or a signal could not be sent): no `exit` follows a failed spawn.
      logger.error({ err }, "instance process error");
      if (child.pid === undefined) {
        instance.exited = true;
        this.#forget(key, instance);
        resolveClosed();
      }
    });
    child.once("close", (code, signal) => {
      instance.exited = true;
      this.#forget(key, instance);
      if (instance.stoppingSince !== undefined) {
        logger.info({ pid: child.pid, exitCode: code, signal, stopMs: Date.now() - instance.stoppingSince }, "instance stopped");
      } else {
        logger.warn(
          { pid: child.pid, exitCode: code, signal, uptimeMs: Date.now() - instance.spawnedAt, wasReady: instance.ready, lastLines: instance.tail.lines() },
          "instance exited",
        );
      }
      resolveClosed();
    });
  }

  /** SIGTERM now, SIGKILL after the grace; the instance stops counting at once. */
  #stop(instance: Instance, reason: string): void {
    if (instance.exited || instance.stoppingSince !== undefined) return;
    instance.stoppingSince = Date.now();
    instance.logger.info({ pid: instance.child.pid, reason, graceMs: this.#stopGraceMs }, "stopping instance");
    instance.child.kill("SIGTERM");
    instance.timers.push(
      setTimeout(() => {
        if (instance.exited) return;
        instance.logger.warn({ pid: instance.child.pid, graceMs: this.#stopGraceMs }, "instance did not stop within the grace, sending SIGKILL");
        instance.child.kill("SIGKILL");
      }, this.#stopGraceMs),
    );
  }

  #forget(key: string, instance: Instance): void {
    for (const timer of instance.timers) clearTimeout(timer);
    const list = this.#instances.get(key);
    if (!list) return;
    const rest = list.filter((i) => i !== instance);
    if (rest.length > 0) this.#instances.set(key, rest);
    else this.#instances.delete(key);
  }
}
