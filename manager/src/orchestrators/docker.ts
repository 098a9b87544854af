import { createHash, randomBytes } from "node:crypto";
import Docker from "dockerode";
import type { Logger } from "@mlb/shared";
import { KeyedSerial, isReadyLine, readyLineExpected, workloadKey } from "./instance-output.js";
import { workloadLabels, workloadName, type Orchestrator, type WorkloadSpec, type WorkloadStatus } from "./orchestrator.js";

/** Label with a hash of the image and environment a container was created with (never the values themselves). */
export const CONFIG_HASH_LABEL = "io.mlb.config-hash";

/**
 * Appended to a container's name when it is being stopped. The engine has no "stopping" state and
 * labels cannot change after creation, so the name carries it: a restarted manager then neither
 * counts a draining container nor signals it a second time (a second SIGTERM makes a service exit
 * at once, dropping its item).
 */
export const DRAINING_SUFFIX = "-draining";

export interface DockerOrchestratorOptions {
  logger: Logger;
  /** The engine client. Default `new Docker()`: DOCKER_HOST when set, else /var/run/docker.sock. */
  docker?: Docker;
  /** Time between SIGTERM and SIGKILL when a container is stopped (ms, rounded up to whole seconds for the engine). Default 15000. */
  stopGraceMs?: number;
  /**
   * A running container that has not logged "service started" this long after this orchestrator
   * first saw it is stopped (and so replaced by the next `scale`) (ms). Default 60000.
   */
  readyTimeoutMs?: number;
  /** Lines of `docker logs` quoted when a container exits on its own. Default 20. */
  tailLines?: number;
}

/** Hash of what a container is created from (image and environment): 16 hex characters. */
export function configHash(spec: Pick<WorkloadSpec, "image" | "env">): string {
  const hash = createHash("sha256").update(spec.image);
  for (const name of Object.keys(spec.env).sort()) hash.update(`\0${name}=${spec.env[name]}`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * The text of a non-streaming `docker logs` answer. Without a TTY the engine multiplexes stdout
 * and stderr in frames of an 8-byte header (stream 0/1/2, three zero bytes, big-endian length)
 * and a payload; a TTY container's log is plain text.
 */
export function demuxLogs(raw: Buffer): string {
  let text = "";
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at]!;
    if (stream > 2 || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0) return raw.toString("utf8");
    const size = raw.readUInt32BE(at + 4);
    text += raw.subarray(at + 8, at + 8 + size).toString("utf8");
    at += 8 + size;
  }
  return at === 0 && raw.length > 0 ? raw.toString("utf8") : text;
}

/** A container of a workload as one list call saw it. */
interface Seen {
  info: Docker.ContainerInfo;
  /** Name without the leading slash. */
  name: string;
  draining: boolean;
  stale: boolean;
}

/** The workload's containers, after dead ones were cleared away; draining ones are left out. Oldest first. */
interface Observed {
  /** Current configuration, running and ready. */
  ready: Seen[];
  /** Current configuration: created, restarting, paused, or running but not ready yet. */
  starting: Seen[];
  /** Alive but created from another image or environment (see {@link CONFIG_HASH_LABEL}). */
  stale: Seen[];
}

/**
 * Runs each instance as a Docker container through the Engine API (dockerode).
 *
 * - Containers: image `spec.image`, env `spec.env` (plus `METRICS_PORT=0` unless set: on the host
 *   network instances would otherwise collide on the service's default port), labels
 *   `workloadLabels(spec)` plus {@link CONFIG_HASH_LABEL}, host network, `Init: true` (signals reach
 *   node through tini), restart policy `no` (the manager replaces, the engine does not), name
 *   `<workloadName>-<8 hex>`. Logs stay with the engine's log driver: `docker logs <name>` works.
 * - Everything is found by label filter on every call; there are no in-memory counts, so a
 *   restarted manager adopts what is running. Names are never used to find instances, only to
 *   mark one as draining ({@link DRAINING_SUFFIX}).
 * - `status`: `running` = state running and ready (logged "service started"; when LOG_LEVEL hides
 *   info lines, running is enough); `pending` = created, restarting, paused or running but not
 *   ready yet; exited and dead containers are removed, their exit code and last log lines logged,
 *   so the next `scale` replaces them; draining containers count nowhere. `desired` = `running +
 *   pending`: the engine keeps no desired count, and an instance that died is no longer asked for
 *   until the next `scale`. A running container that stays unready for `readyTimeoutMs` is stopped.
 * - A container whose {@link CONFIG_HASH_LABEL} differs from the spec's (a manager restarted with
 *   another image or environment) counts nowhere either, so the manager calls `scale`, which
 *   starts containers of the current configuration and drains the old ones at once.
 * - `scale` up creates and starts the missing containers (and starts any left `created` by a
 *   manager that died in between); it pulls the image once when the engine does not have it.
 *   Down renames the excess (not-ready ones first, then the newest) to `…-draining` and stops
 *   them with `t` = the grace (SIGTERM, SIGKILL after it), then removes them; `scale` returns once
 *   the stops are requested.
 * - `close()` touches no container; it waits for stops it already requested to finish.
 */
export class DockerOrchestrator implements Orchestrator {
  readonly kind = "docker";
  readonly #docker: Docker;
  readonly #logger: Logger;
  readonly #stopGraceS: number;
  readonly #readyTimeoutMs: number;
  readonly #tailLines: number;
  readonly #serial = new KeyedSerial();
  /**
   * Per workload: container ids seen ready (derived from their logs; a restarted manager reads
   * them again) and when this orchestrator first saw each running, not yet ready one (its
   * readiness clock). Pruned to the workload's live containers on every observation.
   */
  readonly #readiness = new Map<string, { ready: Set<string>; unreadySince: Map<string, number> }>();
  /** Stops this orchestrator requested and has not finished (container id → operation). */
  readonly #stopping = new Map<string, Promise<void>>();

  constructor(options: DockerOrchestratorOptions) {
    this.#docker = options.docker ?? new Docker();
    this.#logger = options.logger.child({ component: "orchestrator", orchestrator: "docker" });
    this.#stopGraceS = Math.ceil((options.stopGraceMs ?? 15_000) / 1000);
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.#tailLines = options.tailLines ?? 20;
  }

  status(spec: WorkloadSpec): Promise<WorkloadStatus> {
    return this.#serial.run(workloadKey(spec), async () => {
      const { ready, starting } = await this.#observe(spec);
      return { running: ready.length, pending: starting.length, desired: ready.length + starting.length };
    });
  }

  scale(spec: WorkloadSpec, count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 0) return Promise.reject(new RangeError(`instance count must be a whole number >= 0, got ${count} (${workloadName(spec)})`));
    return this.#serial.run(workloadKey(spec), async () => {
      const { ready, starting, stale } = await this.#observe(spec);
      // Left `created` by a manager that died between create and start: start it now.
      for (const s of starting.filter((c) => c.info.State === "created")) await this.#start(spec, s.info.Id, s.name);
      const live = [...ready, ...starting];
      if (live.length < count) {
        const missing = count - live.length;
        await Promise.all(Array.from({ length: missing }, () => this.#create(spec)));
      } else if (live.length > count) {
        for (const s of [...live].reverse().slice(0, live.length - count)) await this.#drain(spec, s, "scale down");
      }
      for (const s of stale) await this.#drain(spec, s, "older configuration (image or environment changed)");
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#stopping.values()]);
  }

  /** Lists the workload's containers, clears away dead ones and sorts the rest. */
  async #observe(spec: WorkloadSpec): Promise<Observed> {
    const hash = configHash({ image: spec.image, env: this.#env(spec) });
    const filters = { label: Object.entries(workloadLabels(spec)).map(([k, v]) => `${k}=${v}`) };
    const infos = await this.#docker.listContainers({ all: true, filters });
    const seen: Seen[] = infos
      .map((info) => {
        const name = (info.Names[0] ?? info.Id).replace(/^\//, "");
        return { info, name, draining: name.endsWith(DRAINING_SUFFIX), stale: info.Labels[CONFIG_HASH_LABEL] !== hash };
      })
      .sort((a, b) => a.info.Created - b.info.Created || a.name.localeCompare(b.name));
    const ready: Seen[] = [];
    const starting: Seen[] = [];
    const stale: Seen[] = [];
    const expectReadyLine = readyLineExpected(spec.env);
    await Promise.all(
      seen.map(async (s) => {
        const state = s.info.State;
        if (state === "exited" || state === "dead") return this.#clearDead(spec, s);
        if (s.draining || state === "removing") return;
        if (s.stale) return void stale.push(s);
        if (state !== "running") return void starting.push(s);
        if (!expectReadyLine || (await this.#isReady(spec, s))) ready.push(s);
        else starting.push(s);
      }),
    );
    const byAge = (a: Seen, b: Seen) => seen.indexOf(a) - seen.indexOf(b);
    const live = new Set([...ready, ...starting].map((s) => s.info.Id));
    const readiness = this.#readinessOf(spec);
    for (const id of readiness.ready) if (!live.has(id)) readiness.ready.delete(id);
    for (const id of readiness.unreadySince.keys()) if (!live.has(id)) readiness.unreadySince.delete(id);
    if (readiness.ready.size === 0 && readiness.unreadySince.size === 0) this.#readiness.delete(workloadKey(spec));
    // A container that stays unready past the timeout is stopped like a dead one is removed.
    const now = Date.now();
    const timedOut = starting.filter((s) => s.info.State === "running" && now - (readiness.unreadySince.get(s.info.Id) ?? now) > this.#readyTimeoutMs);
    for (const s of timedOut) {
      this.#containerLogger(spec, s).warn({ readyTimeoutMs: this.#readyTimeoutMs, lastLines: await this.#tail(s.info.Id) }, "instance not ready in time, stopping it");
      await this.#drain(spec, s, "not ready in time");
    }
    return { ready: ready.sort(byAge), starting: starting.filter((s) => !timedOut.includes(s)).sort(byAge), stale: stale.sort(byAge) };
  }

  /** Whether a running container has logged "service started" (read from the start of its log). */
  async #isReady(spec: WorkloadSpec, s: Seen): Promise<boolean> {
    const id = s.info.Id;
    const readiness = this.#readinessOf(spec);
    if (readiness.ready.has(id)) return true;
    if (!readiness.unreadySince.has(id)) readiness.unreadySince.set(id, Date.now());
    // Only the start of a long-running container's log can hold the line: bound the read.
    const until = s.info.Created + Math.ceil(this.#readyTimeoutMs / 1000) + 60;
    let text: string;
    try {
      text = demuxLogs(toBuffer(await this.#docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, until })));
    } catch (err) {
      if (statusCode(err) === 404) return false;
      throw err;
    }
    if (!text.split("\n").some(isReadyLine)) return false;
    readiness.ready.add(id);
    const firstSeen = readiness.unreadySince.get(id);
    readiness.unreadySince.delete(id);
    this.#containerLogger(spec, s).info({ sinceCreatedS: Math.round(Date.now() / 1000 - s.info.Created), seenUnreadyMs: firstSeen === undefined ? 0 : Date.now() - firstSeen }, "instance ready");
    return true;
  }

  /** Logs why an exited container ended (with its last lines) and removes it. */
  async #clearDead(spec: WorkloadSpec, s: Seen): Promise<void> {
    const id = s.info.Id;
    if (this.#stopping.has(id)) return; // our own stop: it logs and removes when it is done
    const logger = this.#containerLogger(spec, s);
    const container = this.#docker.getContainer(id);
    try {
      const state = (await container.inspect()).State;
      const fields = { exitCode: state.ExitCode, oomKilled: state.OOMKilled, error: state.Error || undefined, finishedAt: state.FinishedAt };
      if (s.draining) logger.info(fields, "instance stopped (stop requested earlier)");
      else logger.warn({ ...fields, wasReady: this.#readiness.get(workloadKey(spec))?.ready.has(id) ?? false, lastLines: await this.#tail(id) }, "instance exited");
      await container.remove({ force: true });
    } catch (err) {
      // 404: gone already; 409: another caller is removing it.
      if (statusCode(err) !== 404 && statusCode(err) !== 409) throw err;
    }
  }

  async #create(spec: WorkloadSpec): Promise<void> {
    const env = this.#env(spec);
    const name = `${workloadName(spec)}-${randomBytes(4).toString("hex")}`;
    const options: Docker.ContainerCreateOptions = {
      name,
      Image: spec.image,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Labels: { ...workloadLabels(spec), [CONFIG_HASH_LABEL]: configHash({ image: spec.image, env }) },
      HostConfig: { NetworkMode: "host", Init: true, RestartPolicy: { Name: "no" } },
    };
    let container: Docker.Container;
    try {
      container = await this.#docker.createContainer(options);
    } catch (err) {
      if (statusCode(err) !== 404) throw new Error(`creating container ${name} from ${spec.image} failed: ${message(err)}`, { cause: err });
      // The engine does not have the image: pull it once, then create again.
      await this.#pull(spec.image);
      container = await this.#docker.createContainer(options);
    }
    this.#logger.info({ workload: workloadName(spec), container: container.id.slice(0, 12), name, image: spec.image }, "instance created");
    await this.#start(spec, container.id, name);
  }

  async #start(spec: WorkloadSpec, id: string, name: string): Promise<void> {
    const container = this.#docker.getContainer(id);
    try {
      await container.start();
    } catch (err) {
      if (statusCode(err) === 304) return; // already started
      await container.remove({ force: true }).catch((removeErr: unknown) => this.#logger.warn({ err: removeErr, name }, "removing a container that failed to start failed"));
      throw new Error(`starting container ${name} (${spec.image}) failed, removed it: ${message(err)}`, { cause: err });
    }
  }

  /** Marks a container as draining (rename), then stops and removes it in the background. */
  async #drain(spec: WorkloadSpec, s: Seen, reason: string): Promise<void> {
    const id = s.info.Id;
    if (this.#stopping.has(id)) return;
    const logger = this.#containerLogger(spec, s);
    const container = this.#docker.getContainer(id);
    const renamedTo = `${s.name}${DRAINING_SUFFIX}`;
    try {
      await container.rename({ name: renamedTo });
    } catch (err) {
      if (statusCode(err) === 404) return; // gone meanwhile
      throw new Error(`marking container ${s.name} as draining failed: ${message(err)}`, { cause: err });
    }
    const started = Date.now();
    logger.info({ reason, renamedTo, graceS: this.#stopGraceS }, "stopping instance");
    const operation = (async () => {
      try {
        // Engine: SIGTERM (through tini) now, SIGKILL after t seconds; answers once it exited.
        await container.stop({ t: this.#stopGraceS }).catch((err: unknown) => {
          if (statusCode(err) !== 304) throw err; // 304: already stopped
        });
        const state = (await container.inspect()).State;
        logger.info({ exitCode: state.ExitCode, stopMs: Date.now() - started, killed: state.ExitCode === 137 }, "instance stopped");
        logger.debug({ lastLines: await this.#tail(id) }, "instance output before stop");
        await container.remove({ force: true });
      } catch (err) {
        if (statusCode(err) !== 404 && statusCode(err) !== 409) logger.error({ err }, "stopping instance failed; the next status call removes it once it has exited");
      } finally {
        this.#stopping.delete(id);
      }
    })();
    this.#stopping.set(id, operation);
  }

  async #pull(image: string): Promise<void> {
    this.#logger.info({ image }, "image not present, pulling it");
    const stream = await this.#docker.pull(image);
    await new Promise<void>((resolve, reject) => {
      this.#docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(new Error(`pulling ${image} failed: ${err.message}`, { cause: err })) : resolve()));
    });
  }

  /** The last lines of a container's log (empty when it is unreadable). */
  async #tail(id: string): Promise<string[]> {
    try {
      const raw = await this.#docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, tail: this.#tailLines });
      return demuxLogs(toBuffer(raw)).split("\n").filter((l) => l.length > 0);
    } catch {
      return [];
    }
  }

  #readinessOf(spec: WorkloadSpec): { ready: Set<string>; unreadySince: Map<string, number> } {
    const key = workloadKey(spec);
    let readiness = this.#readiness.get(key);
    if (!readiness) this.#readiness.set(key, (readiness = { ready: new Set(), unreadySince: new Map() }));
    return readiness;
  }

  #env(spec: WorkloadSpec): Record<string, string> {
    return { METRICS_PORT: "0", ...spec.env };
  }

  #containerLogger(spec: WorkloadSpec, s: Seen): Logger {
    return this.#logger.child({ workload: workloadName(spec), container: s.info.Id.slice(0, 12), name: s.name });
  }
}

function statusCode(err: unknown): number | undefined {
  return typeof err === "object" && err !== null && "statusCode" in err && typeof err.statusCode === "number" ? err.statusCode : undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toBuffer(raw: unknown): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
}
