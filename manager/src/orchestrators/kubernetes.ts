import { ApiException, AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Container, type V1Deployment, type V1EnvVar } from "@kubernetes/client-node";
import { BotError, type Logger } from "@mlb/shared";
import { canonicalJson, plainSecretNames } from "./config-drift.js";
import { workloadName, type Orchestrator, type WorkloadSpec, type WorkloadStatus } from "./orchestrator.js";

export interface KubernetesOrchestratorOptions {
  /** The namespace holding the Deployments. */
  namespace: string;
  /** Path of a kubeconfig file (its current context is used). */
  kubeconfig?: string;
  /** Use the pod's service account (`KubeConfig.loadFromCluster()`); wins over `kubeconfig`. */
  inCluster?: boolean;
  /**
   * Env names to take from Kubernetes Secrets instead of the spec's plain value: name →
   * `{ secret, key }` (e.g. `WALLET_MNEMONIC` → `{ secret: "mlb-wallet", key: "mnemonic" }`).
   * They become `valueFrom.secretKeyRef` entries, never plain `value`s in the Deployment.
   */
  secrets?: Record<string, { secret: string; key: string }>;
  /** The Deployment of a workload; {@link workloadName} by default. */
  deploymentName?: (spec: WorkloadSpec) => string;
  logger: Logger;
}

/** The workload's Deployment does not exist in the namespace. */
export class DeploymentNotFoundError extends BotError {
  readonly namespace: string;
  readonly deployment: string;
  constructor(namespace: string, deployment: string, options?: { cause?: unknown }) {
    super(
      "ERR_K8S_DEPLOYMENT_NOT_FOUND",
      `Deployment ${namespace}/${deployment} not found; the manager only scales existing Deployments: apply the deployment manifests first`,
      options,
    );
    this.namespace = namespace;
    this.deployment = deployment;
  }
}

/** The field manager our patches are recorded under (`kubectl get deploy -o yaml --show-managed-fields`). */
const FIELD_MANAGER = "mlb-manager";

/**
 * Runs each workload as one Kubernetes Deployment, named {@link workloadName} (override with
 * `deploymentName`), in `namespace`. The Deployments are not created here: the operator's
 * manifests create them (selector, labels, probes, resources, `terminationGracePeriodSeconds`).
 * The manager only sets replicas, absolutely, through the Deployment's scale subresource (a merge
 * patch of `spec.replicas`, as `kubectl scale` does), and keeps the pod template's image and
 * environment in line with the spec.
 *
 * Drift: if the workload's container (named after the service, e.g. `collector`, or the only
 * container) has another image or env than the spec, one JSON patch replaces that container's
 * `image` and `env` (guarded by a `test` of the container's name), which rolls the pods. The env is
 * the spec's plain values plus `secrets` references; `valueFrom` entries the manifests added for
 * other names (fieldRef, secretKeyRef) are kept. Env values are never logged.
 *
 * Config: `inCluster` → service account; else `kubeconfig` → that file; else the client's
 * default (`KUBECONFIG`, `~/.kube/config`, then in-cluster). RBAC needs `get` and `patch` on
 * `deployments` and `deployments/scale` in the namespace.
 */
export class KubernetesOrchestrator implements Orchestrator {
  readonly kind = "kubernetes";
  readonly #apps: AppsV1Api;
  readonly #options: KubernetesOrchestratorOptions;
  readonly #log: Logger;

  constructor(options: KubernetesOrchestratorOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: "orchestrator", orchestrator: "kubernetes", namespace: options.namespace });
    const config = new KubeConfig();
    if (options.inCluster === true) config.loadFromCluster();
    else if (options.kubeconfig !== undefined) config.loadFromFile(options.kubeconfig);
    else config.loadFromDefault();
    this.#apps = config.makeApiClient(AppsV1Api);
  }

  /** Running is `status.readyReplicas`; desired is `spec.replicas`; pending is desired − ready (never below 0). */
  async status(spec: WorkloadSpec): Promise<WorkloadStatus> {
    const deployment = await this.#read(this.#name(spec));
    const running = deployment.status?.readyReplicas ?? 0;
    const desired = deployment.spec?.replicas ?? 0;
    return { running, pending: Math.max(0, desired - running), desired };
  }

  /** Patches the pod template if the image or env drifted, then sets the scale subresource's replicas to `count`. */
  async scale(spec: WorkloadSpec, count: number): Promise<void> {
    const name = this.#name(spec);
    const { namespace } = this.#options;
    const deployment = await this.#read(name);
    await this.#syncTemplate(name, deployment, spec);
    if (deployment.spec?.replicas === count) return;
    await this.#notFoundAs(name, () =>
      this.#apps.patchNamespacedDeploymentScale(
        { name, namespace, fieldManager: FIELD_MANAGER, body: { spec: { replicas: count } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    this.#log.info({ deployment: name, desired: count, previousDesired: deployment.spec?.replicas }, "kubernetes deployment scaled");
  }

  async close(): Promise<void> {}

  #name(spec: WorkloadSpec): string {
    return (this.#options.deploymentName ?? workloadName)(spec);
  }

  async #read(name: string): Promise<V1Deployment> {
    return this.#notFoundAs(name, () => this.#apps.readNamespacedDeployment({ name, namespace: this.#options.namespace }));
  }

  /** Runs a call, turning the API's 404 into {@link DeploymentNotFoundError}. */
  async #notFoundAs<T>(name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) throw new DeploymentNotFoundError(this.#options.namespace, name, { cause: err });
      throw err;
    }
  }

  async #syncTemplate(name: string, deployment: V1Deployment, spec: WorkloadSpec): Promise<void> {
    const { namespace } = this.#options;
    const containers = deployment.spec?.template.spec?.containers ?? [];
    const index = containers.length === 1 ? 0 : containers.findIndex((c) => c.name === spec.service);
    const container: V1Container | undefined = containers[index];
    if (container === undefined) {
      throw new BotError("ERR_K8S_CONTAINER_NOT_FOUND", `Deployment ${namespace}/${name} has no container named ${spec.service} (containers: ${containers.map((c) => c.name).join(", ") || "none"}); name the workload's container after its service`);
    }
    const env = this.#desiredEnv(container.env ?? [], spec);
    const changed = [...(container.image !== spec.image ? ["image"] : []), ...(canonicalJson({ env: container.env ?? [] }) !== canonicalJson({ env }) ? ["env"] : [])];
    if (changed.length === 0) return;
    const plain = plainSecretNames(spec.env, Object.keys(this.#options.secrets ?? {}));
    if (plain.length > 0) this.#log.warn({ deployment: name, env: plain }, "secret-looking env written into the Deployment in plain text; reference a Secret instead (secrets option)");
    const path = `/spec/template/spec/containers/${index}`;
    const patch = [
      { op: "test", path: `${path}/name`, value: container.name },
      { op: "add", path: `${path}/image`, value: spec.image },
      { op: "add", path: `${path}/env`, value: env },
    ];
    await this.#notFoundAs(name, () =>
      this.#apps.patchNamespacedDeployment({ name, namespace, fieldManager: FIELD_MANAGER, body: patch }, setHeaderOptions("Content-Type", PatchStrategy.JsonPatch)),
    );
    this.#log.info({ deployment: name, container: container.name, changed }, "kubernetes pod template updated");
  }

  /** The spec's plain env, `secrets` references, and the manifests' own `valueFrom` entries for other names. */
  #desiredEnv(current: V1EnvVar[], spec: WorkloadSpec): V1EnvVar[] {
    const refs = this.#options.secrets ?? {};
    const kept = current.filter((e) => e.valueFrom !== undefined && !Object.hasOwn(spec.env, e.name) && !Object.hasOwn(refs, e.name));
    return [
      ...Object.entries(spec.env).filter(([name]) => !Object.hasOwn(refs, name)).map(([name, value]) => (value === "" ? { name } : { name, value })), // the API drops empty values
      // Only the names this workload's env has: the collector never gets the liquidators' mnemonic.
      ...Object.entries(refs).filter(([name]) => Object.hasOwn(spec.env, name)).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } })),
      ...kept,
    ];
  }
}
