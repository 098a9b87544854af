/**
 * Where the manager runs the other services. One interface, four backends (process, docker, ecs,
 * kubernetes): the manager computes absolute instance counts and an orchestrator makes them so.
 * Instances are found by labels (pipeline and service), never by name prefixes, so a restarted
 * manager adopts what is running.
 */

/** The services the manager scales. */
export const WORKER_SERVICES = ["collector", "health-checker", "liquidator"] as const;
export type WorkerService = (typeof WORKER_SERVICES)[number];

/** One service of one pipeline, and everything needed to start an instance of it. */
export interface WorkloadSpec {
  service: WorkerService;
  /** The pipeline: `{chain}:{product}` (with the Redis namespace, it identifies the deployment). */
  chain: string;
  product: string;
  /** Distinguishes deployments sharing one orchestrator (REDIS_NAMESPACE). */
  deployment: string;
  /** Container image (docker, ecs, kubernetes). */
  image: string;
  /** The instance's environment (secrets included: backends must never log it). */
  env: Record<string, string>;
}

/** Instances of one workload as the backend sees them. */
export interface WorkloadStatus {
  /** Running (or, for ECS/Kubernetes, running and ready as the backend reports). */
  running: number;
  /** Asked for but not running yet (starting containers, pending tasks, unavailable replicas). */
  pending: number;
  /** What the backend was last asked for (desired count). */
  desired: number;
}

export interface Orchestrator {
  /** `process`, `docker`, `ecs` or `kubernetes`, for logs and metrics. */
  readonly kind: string;
  /** The workload's instances now. */
  status(spec: WorkloadSpec): Promise<WorkloadStatus>;
  /**
   * Makes the workload have exactly `count` instances (absolute, not ±1). Scaling down stops
   * instances gracefully (SIGTERM, then a kill after the backend's grace period) so each finishes
   * or returns its current queue item. Idempotent; returns once the change is requested (not
   * necessarily running: `status().pending` shows that).
   */
  scale(spec: WorkloadSpec, count: number): Promise<void>;
  /**
   * Releases the backend's own resources (clients, watchers) without touching instances. To stop a
   * fleet, `scale(spec, 0)` each workload first. (An instance that died is not counted as running,
   * so the next `scale` starts a replacement: process and docker remove the dead one.) The process
   * backend is the exception: its instances are the manager's children and cannot outlive it, so
   * its `close()` stops them (SIGTERM, then SIGKILL after its grace) and waits for them.
   */
  close(): Promise<void>;
}

/** Labels every backend that supports them puts on an instance (docker labels, Kubernetes labels). */
export function workloadLabels(spec: Pick<WorkloadSpec, "service" | "chain" | "product" | "deployment">): Record<string, string> {
  return {
    "io.mlb.managed": "true",
    "io.mlb.deployment": spec.deployment,
    "io.mlb.pipeline": `${spec.chain}-${spec.product}`,
    "io.mlb.service": spec.service,
  };
}

/** A name for the workload where the backend needs one (ECS service, Kubernetes Deployment): `mlb-<deployment>-<chain>-<product>-<service>`, DNS-safe. */
export function workloadName(spec: Pick<WorkloadSpec, "service" | "chain" | "product" | "deployment">): string {
  return `mlb-${spec.deployment}-${spec.chain}-${spec.product}-${spec.service}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 63).replace(/-+$/, "");
}
