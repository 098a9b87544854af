import {
  DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand,
  type ContainerDefinition, type ECSClientConfig, type RegisterTaskDefinitionCommandInput, type Service, type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { BotError, type Logger } from "@mlb/shared";
import { changedKeys, plainSecretNames } from "./config-drift.js";
import { workloadName, type Orchestrator, type WorkloadSpec, type WorkloadStatus } from "./orchestrator.js";

export interface EcsOrchestratorOptions {
  /** The ECS cluster (name or ARN) holding the services. */
  cluster: string;
  /** AWS region, e.g. `eu-west-1`. */
  region: string;
  /** API endpoint override (a VPC endpoint, or a local fake in tests); the SDK's regional endpoint by default. */
  endpoint?: string;
  /** Credentials; the SDK's default chain (task role, env, profile) by default. */
  credentials?: ECSClientConfig["credentials"];
  /**
   * Env names to take from Secrets Manager or SSM instead of the spec's plain value: name → the
   * `valueFrom` ARN (e.g. `WALLET_MNEMONIC` → `arn:aws:secretsmanager:…:secret:mlb/mnemonic`).
   * These go into the container's `secrets`, never into its `environment`; the task
   * definition's execution role must be allowed to read them. Use this for the mnemonic in
   * production: a plain env value is readable by anyone allowed to describe task definitions.
   */
  secrets?: Record<string, string>;
  /** Overrides for new task definition revisions; unset fields keep the current revision's value. */
  taskRoleArn?: string;
  executionRoleArn?: string;
  /** Task-level CPU and memory, in ECS notation (`"256"`, `"0.5 vCPU"`, `"1 GB"`). */
  cpu?: string;
  memory?: string;
  /** CloudWatch log group: the container logs through `awslogs` with the service as stream prefix. */
  logGroup?: string;
  /** The ECS service name (not ARN; also the task definition family) of a workload; {@link workloadName} by default. */
  serviceName?: (spec: WorkloadSpec) => string;
  logger: Logger;
}

/** The workload's ECS service does not exist (or was deleted) in the cluster. */
export class EcsServiceNotFoundError extends BotError {
  readonly service: string;
  readonly cluster: string;
  constructor(service: string, cluster: string, reason: string) {
    super(
      "ERR_ECS_SERVICE_NOT_FOUND",
      `ECS service ${service} not found in cluster ${cluster} (${reason}); the manager only scales existing services: create it from the deployment templates`,
    );
    this.service = service;
    this.cluster = cluster;
  }
}

/**
 * Runs each workload as one AWS ECS service, named {@link workloadName} (override with
 * `serviceName`), in `cluster`. The services are not created here: the operator's templates
 * create them (with their network configuration, launch type or capacity provider, load
 * balancers) and an initial task definition. The manager only sets each service's desired count,
 * absolutely, and keeps its task definition's image and environment in line with the spec.
 *
 * Drift: the service's current task definition is described (revisions are immutable, so each is
 * described once and cached). If the workload's container (named after the service, e.g.
 * `collector`, or the only container) has another image, environment or secrets than the spec,
 * or an override option differs, a new revision is registered in the family named after the ECS
 * service. It copies every other field of the current revision (network mode, compatibilities,
 * cpu/memory, roles, logging, volumes), so the same code serves Fargate and EC2 services. Then
 * one UpdateService sets the new task definition and the desired count together.
 *
 * Environment values are never logged: log lines name the changed fields and env names only.
 *
 * IAM: `ecs:DescribeServices`, `ecs:UpdateService`, `ecs:DescribeTaskDefinition`,
 * `ecs:RegisterTaskDefinition`, and `iam:PassRole` on the task and execution roles.
 */
export class EcsOrchestrator implements Orchestrator {
  readonly kind = "ecs";
  readonly #client: ECSClient;
  readonly #options: EcsOrchestratorOptions;
  readonly #log: Logger;
  /** Described task definitions by ARN (a revision never changes). */
  readonly #definitions = new Map<string, TaskDefinition>();

  constructor(options: EcsOrchestratorOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: "orchestrator", orchestrator: "ecs", cluster: options.cluster });
    this.#client = new ECSClient({
      region: options.region,
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.credentials !== undefined && { credentials: options.credentials }),
    });
  }

  /**
   * Running is the service's `runningCount`; pending is `pendingCount`, or the tasks the scheduler
   * has not placed yet (`desiredCount − runningCount`) when that is larger, so a scale-up counts
   * as pending from the moment it is requested.
   */
  async status(spec: WorkloadSpec): Promise<WorkloadStatus> {
    const service = await this.#describeService(this.#serviceName(spec));
    const running = service.runningCount ?? 0;
    const desired = service.desiredCount ?? 0;
    return { running, pending: Math.max(service.pendingCount ?? 0, desired - running), desired };
  }

  /** Sets the service's desired count to `count` (never relative), registering a new task definition first if the spec changed. */
  async scale(spec: WorkloadSpec, count: number): Promise<void> {
    const name = this.#serviceName(spec);
    const service = await this.#describeService(name);
    const current = service.taskDefinition;
    if (current === undefined) throw new BotError("ERR_ECS_NO_TASK_DEFINITION", `ECS service ${name} in cluster ${this.#options.cluster} has no task definition; check the deployment templates`);
    const taskDefinition = await this.#ensureDefinition(name, spec, current);
    if (taskDefinition === undefined && service.desiredCount === count) return;
    await this.#client.send(new UpdateServiceCommand({ cluster: this.#options.cluster, service: name, desiredCount: count, ...(taskDefinition !== undefined && { taskDefinition }) }));
    this.#log.info({ ecsService: name, desired: count, previousDesired: service.desiredCount, taskDefinition: taskDefinition ?? current }, "ecs service scaled");
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }

  #serviceName(spec: WorkloadSpec): string {
    return (this.#options.serviceName ?? workloadName)(spec);
  }

  async #describeService(name: string): Promise<Service> {
    const { cluster } = this.#options;
    const out = await this.#client.send(new DescribeServicesCommand({ cluster, services: [name] }));
    const service = out.services?.find((s) => s.serviceName === name || s.serviceArn === name);
    if (service === undefined) throw new EcsServiceNotFoundError(name, cluster, out.failures?.[0]?.reason ?? "not returned");
    // DRAINING (being deleted) and INACTIVE (deleted) services cannot be updated.
    if (service.status !== undefined && service.status !== "ACTIVE") throw new EcsServiceNotFoundError(name, cluster, service.status);
    return service;
  }

  /** Registers a revision matching the spec if the current one differs; returns its ARN, or undefined when nothing changed. */
  async #ensureDefinition(family: string, spec: WorkloadSpec, currentArn: string): Promise<string | undefined> {
    const current = await this.#describeDefinition(currentArn);
    const before = registrable(current, family);
    const after = this.#desiredDefinition(before, spec, currentArn);
    const changed = [
      ...changedKeys({ ...before, containerDefinitions: undefined }, { ...after, containerDefinitions: undefined }),
      ...changedKeys(containerOf(before, spec.service, currentArn), containerOf(after, spec.service, currentArn)).map((k) => `container.${k}`),
    ];
    if (changed.length === 0) return undefined;
    const plain = plainSecretNames(spec.env, Object.keys(this.#options.secrets ?? {}));
    if (plain.length > 0) this.#log.warn({ ecsService: family, env: plain }, "secret-looking env written into the task definition in plain text; map it to a Secrets Manager ARN (secrets option)");
    const out = await this.#client.send(new RegisterTaskDefinitionCommand(after));
    const registered = out.taskDefinition;
    if (registered?.taskDefinitionArn === undefined) throw new BotError("ERR_ECS_REGISTER", `RegisterTaskDefinition for family ${family} returned no task definition ARN`);
    this.#definitions.set(registered.taskDefinitionArn, registered);
    this.#log.info({ ecsService: family, previous: currentArn, taskDefinition: registered.taskDefinitionArn, changed }, "ecs task definition registered");
    return registered.taskDefinitionArn;
  }

  async #describeDefinition(arn: string): Promise<TaskDefinition> {
    const cached = this.#definitions.get(arn);
    if (cached !== undefined) return cached;
    const out = await this.#client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    if (out.taskDefinition === undefined) throw new BotError("ERR_ECS_TASK_DEFINITION", `DescribeTaskDefinition ${arn} returned nothing`);
    this.#definitions.set(arn, out.taskDefinition);
    return out.taskDefinition;
  }

  /** The current revision with the spec's image, environment and secrets and the option overrides applied. */
  #desiredDefinition(before: RegisterTaskDefinitionCommandInput, spec: WorkloadSpec, currentArn: string): RegisterTaskDefinitionCommandInput {
    const o = this.#options;
    const refs = o.secrets ?? {};
    const old = containerOf(before, spec.service, currentArn);
    // Secrets the templates set for names the spec does not mention are kept.
    const secrets = [
      ...(old.secrets ?? []).filter((s) => s.name === undefined || !(Object.hasOwn(refs, s.name) || Object.hasOwn(spec.env, s.name))),
      // Only the names this workload's env has: the collector never gets the liquidators' mnemonic.
      ...Object.entries(refs).filter(([name]) => Object.hasOwn(spec.env, name)).map(([name, valueFrom]) => ({ name, valueFrom })),
    ];
    const container: ContainerDefinition = {
      ...old,
      image: spec.image,
      environment: Object.entries(spec.env).filter(([name]) => !Object.hasOwn(refs, name)).map(([name, value]) => ({ name, value })),
      secrets: secrets.length > 0 ? secrets : undefined,
      ...(o.logGroup !== undefined && {
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": o.logGroup, "awslogs-region": o.region, "awslogs-stream-prefix": spec.service } },
      }),
    };
    return {
      ...before,
      containerDefinitions: before.containerDefinitions?.map((c) => (c === old ? container : c)),
      ...(o.taskRoleArn !== undefined && { taskRoleArn: o.taskRoleArn }),
      ...(o.executionRoleArn !== undefined && { executionRoleArn: o.executionRoleArn }),
      ...(o.cpu !== undefined && { cpu: o.cpu }),
      ...(o.memory !== undefined && { memory: o.memory }),
    };
  }
}

/** The fields of a described task definition that RegisterTaskDefinition takes back. */
const REGISTRABLE = [
  "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities",
  "cpu", "memory", "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage", "runtimePlatform", "enableFaultInjection",
] as const satisfies readonly (keyof TaskDefinition & keyof RegisterTaskDefinitionCommandInput)[];

function registrable(definition: TaskDefinition, family: string): RegisterTaskDefinitionCommandInput {
  const input: Record<string, unknown> = { family };
  for (const key of REGISTRABLE) if (definition[key] !== undefined) input[key] = definition[key];
  return input as unknown as RegisterTaskDefinitionCommandInput;
}

/** The workload's container: the one named after the service, or the only one. */
function containerOf(definition: RegisterTaskDefinitionCommandInput, service: string, arn: string): ContainerDefinition {
  const containers = definition.containerDefinitions ?? [];
  const found = containers.find((c) => c.name === service) ?? (containers.length === 1 ? containers[0] : undefined);
  if (found === undefined) {
    throw new BotError("ERR_ECS_CONTAINER_NOT_FOUND", `task definition ${arn} has no container named ${service} (containers: ${containers.map((c) => c.name).join(", ") || "none"}); name the workload's container after its service`);
  }
  return found;
}
