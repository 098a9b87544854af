/**
 * The Kubernetes backend with the real `@kubernetes/client-node`, loaded from a kubeconfig file,
 * pointed at a local server that speaks the API server's Deployment and scale wire format
 * (`fakes/kube-server.ts`): absolute replicas through the scale subresource, status from ready
 * replicas, the pod template patched only when the image or env drifted.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test as base, describe, expect } from "vitest";
import { DeploymentNotFoundError, KubernetesOrchestrator, type KubernetesOrchestratorOptions } from "../src/orchestrators/kubernetes.js";
import { workloadName, type WorkloadSpec } from "../src/orchestrators/orchestrator.js";
import { FakeKubeServer, type Json } from "./fakes/kube-server.js";
import { memoryLogger, type LogSink } from "./fakes/log-sink.js";

const NAMESPACE = "mlb";

const SPEC: WorkloadSpec = {
  service: "collector",
  chain: "neutron",
  product: "rover",
  deployment: "test",
  image: "mlb/collector:1",
  env: { REDIS_ENDPOINT: "redis://10.0.0.5:6379", LOG_LEVEL: "info" },
};
const NAME = workloadName(SPEC);
const SCALE_PATH = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${NAME}/scale`;
const DEPLOYMENT_PATH = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${NAME}`;

/** The manifests' Deployment for SPEC: the workload's container plus a sidecar listed first. */
function seed(spec: WorkloadSpec, extraEnv: Json[] = []) {
  return {
    namespace: NAMESPACE,
    name: NAME,
    containers: [
      { name: "log-router", image: "fluent-bit:3" },
      { name: spec.service, image: spec.image, env: [...extraEnv, ...Object.entries(spec.env).map(([name, value]) => ({ name, value })).reverse()] },
    ],
  };
}

interface Fixtures {
  fake: FakeKubeServer;
  kubeconfig: string;
  logs: LogSink;
  connect: (options?: Partial<KubernetesOrchestratorOptions>) => KubernetesOrchestrator;
}

const test = base.extend<Fixtures>({
  fake: async ({}, use) => {
    const fake = await FakeKubeServer.start();
    await use(fake);
    await fake.stop();
  },
  kubeconfig: async ({ fake }, use) => {
    const dir = await mkdtemp(join(tmpdir(), "mlb-kube-"));
    await use(await fake.writeKubeconfig(dir));
    await rm(dir, { recursive: true, force: true });
  },
  logs: async ({}, use) => use(memoryLogger()),
  connect: async ({ kubeconfig, logs }, use) => {
    const opened: KubernetesOrchestrator[] = [];
    await use((options = {}) => {
      const orchestrator = new KubernetesOrchestrator({ namespace: NAMESPACE, kubeconfig, logger: logs.logger, ...options });
      opened.push(orchestrator);
      return orchestrator;
    });
    for (const o of opened) await o.close();
  },
});

describe("KubernetesOrchestrator", () => {
  test("sets replicas absolutely through the scale subresource (0 → 2 → 5 → 0)", async ({ fake, connect }) => {
    fake.addDeployment(seed(SPEC));
    const k8s = connect();
    for (const n of [2, 5, 0]) {
      await k8s.scale(SPEC, n);
      expect(fake.spec(NAMESPACE, NAME).replicas).toBe(n);
    }
    await k8s.scale(SPEC, 0); // already so: nothing sent

    const patches = fake.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => [r.path, r.contentType, r.body])).toEqual([2, 5, 0].map((n) => [SCALE_PATH, "application/merge-patch+json", { spec: { replicas: n } }]));
    expect(fake.requests.every((r) => r.authorization === "Bearer test-token")).toBe(true);
  });

  test("status: running is ready replicas, pending the rest of desired (never below 0)", async ({ fake, connect }) => {
    fake.addDeployment(seed(SPEC));
    const k8s = connect();
    expect(await k8s.status(SPEC)).toEqual({ running: 0, pending: 0, desired: 0 });

    await k8s.scale(SPEC, 3);
    expect(await k8s.status(SPEC)).toEqual({ running: 0, pending: 3, desired: 3 });
    fake.setReady(NAMESPACE, NAME, 2, 3);
    expect(await k8s.status(SPEC)).toEqual({ running: 2, pending: 1, desired: 3 });
    fake.setReady(NAMESPACE, NAME, 3);
    expect(await k8s.status(SPEC)).toEqual({ running: 3, pending: 0, desired: 3 });

    await k8s.scale(SPEC, 1); // pods still terminating
    expect(await k8s.status(SPEC)).toEqual({ running: 3, pending: 0, desired: 1 });
  });

  test("an image or env change patches the workload's container in the pod template, once", async ({ fake, connect, logs }) => {
    fake.addDeployment(seed(SPEC));
    const k8s = connect();
    await k8s.scale(SPEC, 2);
    expect(fake.requests.filter((r) => r.method === "PATCH" && r.path === DEPLOYMENT_PATH)).toHaveLength(0);

    const changed: WorkloadSpec = { ...SPEC, image: "mlb/collector:2", env: { REDIS_ENDPOINT: SPEC.env.REDIS_ENDPOINT!, NEW_VAR: "x" } };
    await k8s.scale(changed, 2);
    await k8s.scale(changed, 3);

    const templatePatches = fake.requests.filter((r) => r.method === "PATCH" && r.path === DEPLOYMENT_PATH);
    expect(templatePatches).toHaveLength(1);
    expect(templatePatches[0]?.contentType).toBe("application/json-patch+json");
    const [sidecar, container] = fake.spec(NAMESPACE, NAME).template.spec.containers;
    expect(sidecar).toEqual({ name: "log-router", image: "fluent-bit:3" });
    expect(container).toEqual({
      name: "collector",
      image: "mlb/collector:2",
      env: [
        { name: "REDIS_ENDPOINT", value: "redis://10.0.0.5:6379" },
        { name: "NEW_VAR", value: "x" },
      ],
    });
    expect(fake.spec(NAMESPACE, NAME).replicas).toBe(3);
    expect((fake.deployments.get(`${NAMESPACE}/${NAME}`)?.metadata as Json).generation).toBe(2);
    expect(logs.lines.find((l) => l.msg === "kubernetes pod template updated")).toMatchObject({ deployment: NAME, container: "collector", changed: ["image", "env"] });
  });

  test("secrets become Secret references, the manifests' own references stay, and no env value is logged", async ({ fake, connect, logs }) => {
    const podName = { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } };
    fake.addDeployment(seed(SPEC, [podName]));
    const mnemonic = `${randomBytes(12).toString("hex")} abandon ability able`;
    const spec: WorkloadSpec = { ...SPEC, env: { ...SPEC.env, WALLET_MNEMONIC: mnemonic } };
    const k8s = connect({ secrets: { WALLET_MNEMONIC: { secret: "mlb-wallet", key: "mnemonic" } } });

    await k8s.scale(spec, 1);
    await k8s.scale(spec, 2); // the API's answer compares equal: no second template patch

    const container = fake.spec(NAMESPACE, NAME).template.spec.containers[1];
    expect(container?.env).toEqual([
      { name: "REDIS_ENDPOINT", value: "redis://10.0.0.5:6379" },
      { name: "LOG_LEVEL", value: "info" },
      { name: "WALLET_MNEMONIC", valueFrom: { secretKeyRef: { name: "mlb-wallet", key: "mnemonic" } } },
      podName,
    ]);
    expect(fake.requests.filter((r) => r.method === "PATCH" && r.path === DEPLOYMENT_PATH)).toHaveLength(1);
    expect(JSON.stringify(fake.requests)).not.toContain(mnemonic);
    for (const value of [mnemonic, SPEC.env.REDIS_ENDPOINT!]) expect(logs.text()).not.toContain(value);
  });

  test("a workload whose env lacks a mapped secret gets no reference to it", async ({ fake, connect }) => {
    fake.addDeployment(seed(SPEC, []));
    await connect({ secrets: { WALLET_MNEMONIC: { secret: "mlb-wallet", key: "mnemonic" } } }).scale(SPEC, 1);
    const env = (fake.spec(NAMESPACE, NAME).template.spec.containers[1]?.env ?? []) as { name: string }[];
    expect(env.map((e) => e.name).sort()).toEqual(["LOG_LEVEL", "REDIS_ENDPOINT"]);
  });

  test("a missing Deployment is an error naming the namespace and the name", async ({ fake, connect }) => {
    const k8s = connect();
    await expect(k8s.scale(SPEC, 2)).rejects.toThrow(`Deployment ${NAMESPACE}/${NAME} not found`);
    await expect(k8s.status(SPEC)).rejects.toSatisfy((err) => err instanceof DeploymentNotFoundError && err.namespace === NAMESPACE && err.deployment === NAME);
    expect(fake.requests.filter((r) => r.method !== "GET")).toHaveLength(0);
  });
});
