/**
 * The operator's deployment material (deploy/ecs, deploy/kubernetes, docs/deployment.md) checked
 * against the code it serves: the names and containers the ECS and Kubernetes orchestrators look
 * for, the permissions they use (read from their sources), the services' config schemas, and the
 * worker environment the manager will actually hand out (`childEnvs`). Fails when either side drifts.
 */
import { readFileSync, readdirSync } from "node:fs";
import { load, loadAll } from "js-yaml";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { collectorConfigSchema } from "@mlb/collector";
import { healthCheckerConfigSchema } from "@mlb/health-checker";
import { liquidatorConfigSchema } from "@mlb/liquidator";
import { WORKER_SERVICES, childEnvs, managerConfigSchema, workloadLabels, workloadName, type ManagerConfig, type WorkerService } from "@mlb/manager";
import { describeConfig, parseConfig } from "@mlb/shared";
import { plainSecretNames } from "../manager/src/orchestrators/config-drift.js";
import { ROOT, TEST_MNEMONIC } from "./support/service-process.js";

/** A parsed template: walked freely, checked by the assertions rather than by types. */
type Json = Record<string, any>;
type Service = WorkerService | "manager";

const ECS = `${ROOT}deploy/ecs/`;
const K8S = `${ROOT}deploy/kubernetes/`;
const DOCS = readFileSync(`${ROOT}docs/deployment.md`, "utf8");
const SCHEMAS: Record<Service, z.ZodObject> = {
  manager: managerConfigSchema,
  collector: collectorConfigSchema,
  "health-checker": healthCheckerConfigSchema,
  liquidator: liquidatorConfigSchema,
};
/** Test values for secrets the templates only reference. */
const SECRET_VALUES: Record<string, string> = { WALLET_MNEMONIC: TEST_MNEMONIC, REDIS_PASSWORD: "sample-redis-password" };

/** A variable of the service's schema, directly or in its `_FILE` form. */
function isConfigVar(service: Service, name: string): boolean {
  const shape = SCHEMAS[service].shape;
  return Object.hasOwn(shape, name) || (name.endsWith("_FILE") && Object.hasOwn(shape, name.slice(0, -"_FILE".length)));
}

/** The variables of the service's schema that hold secrets (`envSecret`). */
function secretVars(service: Service): string[] {
  return describeConfig(SCHEMAS[service]).filter((v) => v.secret).map((v) => v.name);
}

/** The workload the manager builds for a service (manager/src/app.ts: deployment = REDIS_NAMESPACE). */
function workload(config: ManagerConfig, service: WorkerService) {
  return { service, chain: config.CHAIN_NAME, product: config.PRODUCT, deployment: config.REDIS_NAMESPACE };
}

// ---------------------------------------------------------------- ECS

/** A value for every placeholder of deploy/ecs; docs/deployment.md must explain each. */
const SAMPLE: Record<string, string> = {
  ACCOUNT_ID: "123456789012",
  REGION: "eu-west-1",
  ECS_CLUSTER: "mlb",
  IMAGE_REGISTRY: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mars",
  IMAGE_TAG: "main-1a2b3c4",
  MNEMONIC_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mlb/mnemonic-AbCdEf",
  REDIS_AUTH_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mlb/redis-auth-AbCdEf",
  REDIS_CONFIGURATION_ENDPOINT: "clustercfg.mlb.abc123.euw1.cache.amazonaws.com",
  RPC_ENDPOINT: "https://rpc.example.org",
  LCD_ENDPOINT: "https://lcd.example.org",
  HIVE_ENDPOINT: "https://hive.example.org/graphql",
  RPC_WEBSOCKET_ENDPOINT: "wss://rpc.example.org/websocket",
  ADDRESS_PROVIDER_ADDRESS: "osmo1addressproviderplaceholder",
  SUBNET_ID_1: "subnet-0a",
  SUBNET_ID_2: "subnet-0b",
  SECURITY_GROUP_ID: "sg-0c",
};

const ecsFiles = (dir: string) => readdirSync(`${ECS}${dir}`).filter((f) => f.endsWith(".json")).map((f) => `${dir}/${f}`);
const ECS_FILES = ["task-definitions", "services", "iam"].flatMap(ecsFiles);

/** A template with every `${NAME}` replaced by its sample value, parsed. */
function ecs(file: string): Json {
  return JSON.parse(readFileSync(`${ECS}${file}`, "utf8").replace(/\$\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? `<unknown placeholder ${name}>`)) as Json;
}

const taskDef = (service: Service) => ecs(`task-definitions/${service}.json`);
const containerOf = (def: Json): Json => def.containerDefinitions[0];
const ecsEnv = (container: Json): Record<string, string> => Object.fromEntries((container.environment ?? []).map((e: Json) => [e.name, e.value]));
const containerPort = (container: Json): number => container.portMappings[0].containerPort;
const ecsSecrets = (container: Json): Record<string, string> => Object.fromEntries((container.secrets ?? []).map((s: Json) => [s.name, s.valueFrom]));

/** The manager's configuration as the ECS task definition gives it (secrets filled with test values). */
function ecsManagerConfig(): ManagerConfig {
  const c = containerOf(taskDef("manager"));
  const secrets = Object.fromEntries(Object.keys(ecsSecrets(c)).map((name) => [name, SECRET_VALUES[name] ?? "sample"]));
  return parseConfig("manager", managerConfigSchema, { ...ecsEnv(c), ...secrets });
}

/** Every IAM statement that allows `action`. */
function statementsFor(policy: Json, action: string): Json[] {
  return (policy.Statement as Json[]).filter((s) => s.Effect === "Allow" && [s.Action].flat().includes(action));
}
const resourcesOf = (statements: Json[]) => statements.flatMap((s) => [s.Resource].flat() as string[]);
const globToRegExp = (glob: string) => new RegExp(`^${glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);

describe("ECS templates (deploy/ecs)", () => {
  it("every file is JSON whose placeholders are all documented in docs/deployment.md", () => {
    const services = ["collector", "health-checker", "liquidator", "manager"].map((s) => `${s}.json`);
    expect(readdirSync(`${ECS}task-definitions`).sort()).toEqual(services);
    expect(readdirSync(`${ECS}services`).sort()).toEqual(services);
    for (const file of ECS_FILES) {
      const raw = readFileSync(`${ECS}${file}`, "utf8");
      expect(() => JSON.parse(raw), file).not.toThrow();
      for (const [, name] of raw.matchAll(/\$\{(\w+)\}/g)) {
        expect(Object.keys(SAMPLE), `${file}: placeholder ${name} has no sample value here`).toContain(name);
        expect(DOCS, `docs/deployment.md does not explain \${${name}}`).toContain(`\${${name}}`);
      }
    }
  });

  it("the manager's task definition is a valid ecs configuration whose secrets come from Secrets Manager", () => {
    const config = ecsManagerConfig();
    const c = containerOf(taskDef("manager"));
    expect(config.ORCHESTRATOR).toBe("ecs");
    expect(config.METRICS_PORT).toBe(containerPort(c));
    // ECS_SECRETS hands the workers the same secrets the manager itself reads.
    expect(config.ECS_SECRETS).toEqual(ecsSecrets(c));
    const children = childEnvs(config);
    for (const service of WORKER_SERVICES) expect(plainSecretNames(children[service], Object.keys(config.ECS_SECRETS)), service).toEqual([]);
    for (const service of [...WORKER_SERVICES, "manager"] as const) {
      const names = [...Object.keys(ecsEnv(containerOf(taskDef(service)))), ...Object.keys(ecsSecrets(containerOf(taskDef(service))))];
      for (const name of names) expect(isConfigVar(service, name), `${service}: ${name} is not a ${service} variable`).toBe(true);
      for (const name of secretVars(service)) expect(ecsEnv(containerOf(taskDef(service))), `${service}: ${name} in plain environment`).not.toHaveProperty(name);
    }
    expect(ecs("services/manager.json")).toMatchObject({ serviceName: taskDef("manager").family, desiredCount: 1, deploymentConfiguration: { maximumPercent: 100 } });
  });

  it.each(WORKER_SERVICES)("%s: service, family, container and health check port are what the orchestrator uses", (service) => {
    const config = ecsManagerConfig();
    const name = workloadName(workload(config, service));
    const def = taskDef(service);
    const c = containerOf(def);
    expect(def.family).toBe(name);
    expect(def.containerDefinitions).toHaveLength(1);
    expect(c.name).toBe(service);
    expect(c.image).toBe({ collector: config.COLLECTOR_IMAGE, "health-checker": config.HEALTH_CHECKER_IMAGE, liquidator: config.EXECUTOR_IMAGE }[service]);
    expect(ecs(`services/${service}.json`)).toMatchObject({ cluster: config.ECS_CLUSTER, serviceName: name, taskDefinition: name, desiredCount: 0 });
    // The orchestrator replaces the environment with the manager's; the health check must follow it.
    const port = Number(childEnvs(config)[service].METRICS_PORT);
    expect(port).toBe(containerPort(c));
    expect(c.healthCheck.command.join(" ")).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(c.logConfiguration).toMatchObject({ logDriver: "awslogs", options: { "awslogs-region": config.AWS_REGION, "awslogs-stream-prefix": service } });
  });

  it("the manager's task role allows exactly the ECS calls of ecs.ts, on the worker services only", () => {
    const source = readFileSync(`${ROOT}manager/src/orchestrators/ecs.ts`, "utf8");
    const called = [...new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => `ecs:${m[1]}`))].sort();
    expect(called.length).toBeGreaterThan(0);
    const policy = ecs("iam/manager-task-role-policy.json");
    const allowed = (policy.Statement as Json[]).flatMap((s) => [s.Action].flat() as string[]);
    expect(allowed.filter((a) => a.startsWith("ecs:")).sort()).toEqual(called);
    expect(allowed.filter((a) => !a.startsWith("ecs:"))).toEqual(["iam:PassRole"]);
    expect(allowed.some((a) => a.includes("*"))).toBe(false);

    const config = ecsManagerConfig();
    const serviceArns = WORKER_SERVICES.map((s) => `arn:aws:ecs:${config.AWS_REGION}:${SAMPLE.ACCOUNT_ID}:service/${config.ECS_CLUSTER}/${workloadName(workload(config, s))}`);
    // Task definitions take no resource-level permissions (AWS Service Authorization Reference):
    // only these two actions may be granted on "*".
    const onlyStar = new Set(["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]);
    for (const action of called) {
      const resources = resourcesOf(statementsFor(policy, action));
      expect(resources, action).toEqual(onlyStar.has(action) ? ["*"] : serviceArns);
    }
    // New revisions copy the current one's roles, so the manager passes exactly the workers' roles.
    const roles = [...new Set(WORKER_SERVICES.flatMap((s) => [taskDef(s).executionRoleArn, taskDef(s).taskRoleArn].filter(Boolean)))];
    const passRole = statementsFor(policy, "iam:PassRole");
    expect(resourcesOf(passRole).sort()).toEqual(roles.sort());
    expect(passRole[0]!.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
  });

  it("the execution role reads exactly the referenced secrets, writes the log group and pulls the images", () => {
    const policy = ecs("iam/execution-role-policy.json");
    const defs = [...WORKER_SERVICES, "manager" as const].map(taskDef);
    const referenced = new Set([...defs.flatMap((d) => Object.values(ecsSecrets(containerOf(d)))), ...Object.values(ecsManagerConfig().ECS_SECRETS)]);
    expect(resourcesOf(statementsFor(policy, "secretsmanager:GetSecretValue")).sort()).toEqual([...referenced].sort());
    const logs = resourcesOf(statementsFor(policy, "logs:PutLogEvents")).map(globToRegExp);
    const pulls = resourcesOf(statementsFor(policy, "ecr:BatchGetImage")).map(globToRegExp);
    for (const d of defs) {
      const c = containerOf(d);
      expect(d.executionRoleArn).toBe(`arn:aws:iam::${SAMPLE.ACCOUNT_ID}:role/mlb-ecs-execution-role`);
      const group = `arn:aws:logs:${SAMPLE.REGION}:${SAMPLE.ACCOUNT_ID}:log-group:${c.logConfiguration.options["awslogs-group"]}:log-stream:x`;
      expect(logs.some((r) => r.test(group)), group).toBe(true);
      const repository = (c.image as string).replace(/^[^/]+\//, "").replace(/:[^:]+$/, "");
      expect(pulls.some((r) => r.test(`arn:aws:ecr:${SAMPLE.REGION}:${SAMPLE.ACCOUNT_ID}:repository/${repository}`)), repository).toBe(true);
    }
    expect(resourcesOf(statementsFor(policy, "ecr:GetAuthorizationToken"))).toEqual(["*"]);
  });
});

// ---------------------------------------------------------------- Kubernetes

const KUSTOMIZATION = load(readFileSync(`${K8S}kustomization.yaml`, "utf8")) as Json;
const K8S_FILES = readdirSync(K8S).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
const RESOURCES = (KUSTOMIZATION.resources as string[]).flatMap((f) => loadAll(readFileSync(`${K8S}${f}`, "utf8")) as Json[]);
const SECRETS = loadAll(readFileSync(`${K8S}secrets.template.yaml`, "utf8")) as Json[];

function resource(kind: string, name: string): Json {
  const found = RESOURCES.find((r) => r.kind === kind && r.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} among the kustomization's resources`);
  return found;
}
const configMap = (name: string): Record<string, string> => resource("ConfigMap", name).data;
const podOf = (deployment: Json): Json => deployment.spec.template.spec;

/** The manager's configuration as its Deployment gives it: ConfigMaps, env, and the secret files' values. */
function k8sManagerConfig(): ManagerConfig {
  const pod = podOf(resource("Deployment", "mlb-manager"));
  const container = pod.containers[0];
  const env: Record<string, string> = {};
  for (const { configMapRef } of container.envFrom) Object.assign(env, configMap(configMapRef.name));
  for (const e of container.env as Json[]) {
    const file = /^(\w+)_FILE$/.exec(e.name);
    if (file === null) env[e.name] = e.value;
    else env[file[1]!] = SECRET_VALUES[file[1]!] ?? "sample";
  }
  return parseConfig("manager", managerConfigSchema, env);
}

/** The Secret and key behind each `valueFrom.secretKeyRef` and each mounted secret file of a pod. */
function secretRefs(pod: Json): { secret: string; key: string }[] {
  const container = pod.containers[0];
  const fromEnv = (container.env as Json[]).filter((e) => e.valueFrom?.secretKeyRef).map((e) => ({ secret: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key }));
  const fromFiles = (container.env as Json[]).filter((e) => e.name.endsWith("_FILE")).map((e) => {
    const mount = (container.volumeMounts as Json[]).find((m) => (e.value as string).startsWith(`${m.mountPath}/`));
    const volume = (pod.volumes as Json[]).find((v) => v.name === mount?.name);
    expect(volume?.secret, `${e.name}=${e.value} is not in a mounted Secret`).toBeDefined();
    return { secret: volume!.secret.secretName as string, key: (e.value as string).slice(mount!.mountPath.length + 1) };
  });
  return [...fromEnv, ...fromFiles];
}

/** Names a container gets as plain values: its ConfigMaps' keys and its env entries with a `value`. */
function plainNames(container: Json): string[] {
  return [...(container.envFrom ?? []).flatMap((f: Json) => Object.keys(configMap(f.configMapRef.name))), ...(container.env as Json[]).filter((e) => e.value !== undefined).map((e) => e.name as string)];
}

/** Verb and resource of each AppsV1Api method kubernetes.ts calls; extend when it calls a new one. */
const APPS_METHODS: Record<string, string> = {
  readNamespacedDeployment: "deployments:get",
  patchNamespacedDeployment: "deployments:patch",
  patchNamespacedDeploymentScale: "deployments/scale:patch",
  readNamespacedDeploymentScale: "deployments/scale:get",
  replaceNamespacedDeployment: "deployments:update",
  replaceNamespacedDeploymentScale: "deployments/scale:update",
  listNamespacedDeployment: "deployments:list",
};

describe("Kubernetes manifests (deploy/kubernetes)", () => {
  it("every file parses; the kustomization applies all of them but the Secret template, in one namespace", () => {
    expect(KUSTOMIZATION.namespace).toBe("mars-liquidator");
    expect([...(KUSTOMIZATION.resources as string[])].sort()).toEqual(K8S_FILES.filter((f) => f !== "secrets.template.yaml").sort());
    for (const r of RESOURCES) expect(r.metadata.namespace ?? KUSTOMIZATION.namespace, `${r.kind} ${r.metadata.name}`).toBe("mars-liquidator");
  });

  it("the manager's environment is a valid kubernetes configuration for this namespace", () => {
    const config = k8sManagerConfig();
    expect(config.ORCHESTRATOR).toBe("kubernetes");
    expect(config.KUBE_NAMESPACE).toBe(KUSTOMIZATION.namespace);
    const manager = resource("Deployment", "mlb-manager");
    expect(manager.spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    const container = podOf(manager).containers[0];
    for (const { configMapRef } of container.envFrom) for (const name of Object.keys(configMap(configMapRef.name))) expect(isConfigVar("manager", name), name).toBe(true);
    for (const e of container.env as Json[]) expect(isConfigVar("manager", e.name), e.name).toBe(true);
    expect(plainNames(container).filter((n) => secretVars("manager").includes(n)), "secrets as plain values").toEqual([]);
    const children = childEnvs(config);
    for (const service of WORKER_SERVICES) expect(plainSecretNames(children[service], Object.keys(config.KUBE_SECRETS)), service).toEqual([]);
  });

  it.each(WORKER_SERVICES)("%s Deployment: the name, labels, container and probe port kubernetes.ts expects", (service) => {
    const config = k8sManagerConfig();
    const spec = workload(config, service);
    const deployment = resource("Deployment", workloadName(spec));
    const pod = podOf(deployment);
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(0);
    expect(deployment.metadata.labels).toMatchObject(workloadLabels(spec));
    expect(deployment.spec.template.metadata.labels).toMatchObject({ ...workloadLabels(spec), ...deployment.spec.selector.matchLabels });
    expect(pod.containers).toHaveLength(1);
    expect(container.name).toBe(service);
    expect(container.image).toBe({ collector: config.COLLECTOR_IMAGE, "health-checker": config.HEALTH_CHECKER_IMAGE, liquidator: config.EXECUTOR_IMAGE }[service]);
    // The manager patches env to its own view: the probes must follow the METRICS_PORT it hands out.
    const port = Number(childEnvs(config)[service].METRICS_PORT);
    const named = (container.ports as Json[]).find((p) => p.name === container.livenessProbe.httpGet.port);
    expect(named?.containerPort).toBe(port);
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: named!.name });
    for (const { configMapRef } of container.envFrom ?? []) for (const name of Object.keys(configMap(configMapRef.name))) expect(isConfigVar(service, name), name).toBe(true);
    for (const e of container.env as Json[]) expect(isConfigVar(service, e.name), e.name).toBe(true);
    expect(plainNames(container).filter((n) => secretVars(service).includes(n)), "secrets as plain values").toEqual([]);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("the manager's Role grants exactly the verbs and resources kubernetes.ts uses, on the worker Deployments only", () => {
    const source = readFileSync(`${ROOT}manager/src/orchestrators/kubernetes.ts`, "utf8");
    const methods = [...new Set([...source.matchAll(/this\.#apps\.(\w+)\(/g)].map((m) => m[1]!))];
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods) expect(APPS_METHODS[m], `kubernetes.ts calls ${m}: add its verb to APPS_METHODS`).toBeDefined();
    const used = methods.map((m) => APPS_METHODS[m]!).sort();

    const config = k8sManagerConfig();
    const names = WORKER_SERVICES.map((s) => workloadName(workload(config, s))).sort();
    const rules = resource("Role", "mlb-manager").rules as Json[];
    for (const rule of rules) {
      expect(rule.apiGroups).toEqual(["apps"]);
      expect([...rule.resourceNames].sort()).toEqual(names);
    }
    expect(rules.flatMap((r) => (r.resources as string[]).flatMap((res) => (r.verbs as string[]).map((v) => `${res}:${v}`))).sort()).toEqual(used);
    const binding = resource("RoleBinding", "mlb-manager");
    expect(binding.roleRef).toMatchObject({ kind: "Role", name: "mlb-manager" });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: podOf(resource("Deployment", "mlb-manager")).serviceAccountName, namespace: KUSTOMIZATION.namespace }]);
  });

  it("every Secret and key the manifests and KUBE_SECRETS reference is in the template, with placeholder values only", () => {
    const refs = [
      ...RESOURCES.filter((r) => r.kind === "Deployment" || r.kind === "StatefulSet").flatMap((r) => secretRefs(podOf(r))),
      ...Object.values(k8sManagerConfig().KUBE_SECRETS),
    ];
    for (const { secret, key } of refs) {
      const template = SECRETS.find((s) => s.metadata.name === secret);
      expect(template?.stringData?.[key], `secrets.template.yaml lacks ${secret}/${key}`).toBeDefined();
    }
    for (const s of SECRETS) for (const value of Object.values(s.stringData as Record<string, string>)) expect(value).toMatch(/^REPLACE_/);
  });

  it("the bot's pods run as uid 1000, non-root, without privileges, on a read-only root filesystem", () => {
    for (const name of ["mlb-manager", ...WORKER_SERVICES.map((s) => workloadName(workload(k8sManagerConfig(), s)))]) {
      const pod = podOf(resource("Deployment", name));
      expect(pod.securityContext, name).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
      expect(pod.containers[0].securityContext, name).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect(pod.containers[0].resources.limits.memory, name).toBeDefined();
    }
  });
});

// ---------------------------------------------------------------- docs

/** Settings of `make run` itself (scripts/run.sh), read from its environment: `${NAME:-default}`. */
const RUN_SCRIPT_SETTINGS = [...readFileSync(`${ROOT}scripts/run.sh`, "utf8").matchAll(/\$\{([A-Z][A-Z0-9_]+):-/g)].map((m) => m[1]!);

/**
 * Names docs/deployment.md may mention that are no service's configuration: the ECS placeholders,
 * make and compose variables, and variables libraries read (dockerode, the in-cluster detection).
 */
const NOT_CONFIG = new Set([...Object.keys(SAMPLE), "DOCKER_GID", "IMAGE_REGISTRY", "DOCKER_HOST", "KUBERNETES_SERVICE_HOST", ...RUN_SCRIPT_SETTINGS]);

describe("docs/deployment.md", () => {
  it("every variable it names is a configuration variable of a service (or a documented placeholder)", () => {
    const named = new Set([...DOCS.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=[^`]*)?`/g), ...DOCS.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/g)].map((m) => m[1]!));
    expect(named.size).toBeGreaterThan(20);
    const services = Object.keys(SCHEMAS) as Service[];
    const isErrorCode = (name: string) => name.startsWith("ERR_");
    const unknown = [...named].filter((name) => !NOT_CONFIG.has(name) && !isErrorCode(name) && !services.some((s) => isConfigVar(s, name)));
    expect(unknown).toEqual([]);
  });
});
