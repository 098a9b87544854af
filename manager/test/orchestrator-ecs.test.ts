/**
 * The ECS backend with the real `@aws-sdk/client-ecs` pointed at a local server that speaks the
 * ECS JSON 1.1 wire format (`fakes/ecs-server.ts`): absolute desired counts, status from the
 * service's counts, task definition revisions only when the image or env changed, and no env
 * value in any log line.
 */
import { randomBytes } from "node:crypto";
import { test as base, describe, expect } from "vitest";
import { EcsOrchestrator, EcsServiceNotFoundError, type EcsOrchestratorOptions } from "../src/orchestrators/ecs.js";
import { workloadName, type WorkloadSpec } from "../src/orchestrators/orchestrator.js";
import { FakeEcsServer, type Json } from "./fakes/ecs-server.js";
import { memoryLogger, type LogSink } from "./fakes/log-sink.js";

const CLUSTER = "mlb";

const SPEC: WorkloadSpec = {
  service: "collector",
  chain: "osmosis",
  product: "redbank",
  deployment: "test",
  image: "mlb/collector:1",
  env: { REDIS_ENDPOINT: "redis://10.0.0.5:6379", LOG_LEVEL: "info" },
};
const NAME = workloadName(SPEC);

/** What the operator's templates registered: a Fargate task definition matching SPEC. */
function templateDefinition(spec: WorkloadSpec, extra: Json = {}): { containerDefinitions: Json[] } & Json {
  return {
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "256",
    memory: "512",
    executionRoleArn: "arn:aws:iam::123456789012:role/mlb-execution",
    containerDefinitions: [
      {
        name: spec.service,
        image: spec.image,
        essential: true,
        // Reversed on purpose: ECS does not promise an order.
        environment: Object.entries(spec.env).map(([name, value]) => ({ name, value })).reverse(),
        ...extra,
      },
    ],
  };
}

interface Fixtures {
  fake: FakeEcsServer;
  logs: LogSink;
  connect: (options?: Partial<EcsOrchestratorOptions>) => EcsOrchestrator;
}

const test = base.extend<Fixtures>({
  fake: async ({}, use) => {
    const fake = await FakeEcsServer.start(CLUSTER);
    await use(fake);
    await fake.stop();
  },
  logs: async ({}, use) => use(memoryLogger()),
  connect: async ({ fake, logs }, use) => {
    const opened: EcsOrchestrator[] = [];
    await use((options = {}) => {
      const orchestrator = new EcsOrchestrator({
        cluster: CLUSTER,
        region: "us-east-1",
        endpoint: fake.endpoint,
        credentials: { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret-access-key" },
        logger: logs.logger,
        ...options,
      });
      opened.push(orchestrator);
      return orchestrator;
    });
    for (const o of opened) await o.close();
  },
});

describe("EcsOrchestrator", () => {
  test("sets the desired count absolutely (0 → 3 → 1), whatever is running or pending", async ({ fake, connect }) => {
    fake.addService(NAME, templateDefinition(SPEC));
    const ecs = connect();

    await ecs.scale(SPEC, 3);
    expect(fake.services.get(NAME)?.desiredCount).toBe(3);
    fake.setCounts(NAME, { runningCount: 1, pendingCount: 2 });
    await ecs.scale(SPEC, 1);
    expect(fake.services.get(NAME)?.desiredCount).toBe(1);
    await ecs.scale(SPEC, 1); // already so: nothing sent

    expect(fake.calls("UpdateService").map((r) => r.body)).toEqual([
      { cluster: CLUSTER, service: NAME, desiredCount: 3 },
      { cluster: CLUSTER, service: NAME, desiredCount: 1 },
    ]);
    expect(fake.calls("RegisterTaskDefinition")).toHaveLength(0);
    expect(fake.requests.every((r) => r.authorization?.startsWith("AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE/"))).toBe(true);
  });

  test("status reads running, pending and desired; unplaced tasks count as pending", async ({ fake, connect }) => {
    fake.addService(NAME, templateDefinition(SPEC));
    const ecs = connect();
    expect(await ecs.status(SPEC)).toEqual({ running: 0, pending: 0, desired: 0 });

    await ecs.scale(SPEC, 3);
    expect(await ecs.status(SPEC)).toEqual({ running: 0, pending: 3, desired: 3 });
    fake.setCounts(NAME, { pendingCount: 3 });
    expect(await ecs.status(SPEC)).toEqual({ running: 0, pending: 3, desired: 3 });
    fake.setCounts(NAME, { runningCount: 2, pendingCount: 1 });
    expect(await ecs.status(SPEC)).toEqual({ running: 2, pending: 1, desired: 3 });
    fake.setCounts(NAME, { runningCount: 3, pendingCount: 0 });
    expect(await ecs.status(SPEC)).toEqual({ running: 3, pending: 0, desired: 3 });

    await ecs.scale(SPEC, 1); // draining: running above desired is not pending
    expect(await ecs.status(SPEC)).toEqual({ running: 3, pending: 0, desired: 1 });
  });

  test("a changed image or env registers a new revision and points the service at it", async ({ fake, connect, logs }) => {
    fake.addService(NAME, templateDefinition(SPEC));
    const ecs = connect();
    await ecs.scale(SPEC, 2);

    const changed: WorkloadSpec = { ...SPEC, image: "mlb/collector:2", env: { ...SPEC.env, LOG_LEVEL: "debug", NEW_VAR: "x" } };
    await ecs.scale(changed, 2);

    const [register] = fake.calls("RegisterTaskDefinition");
    expect(register?.body).toMatchObject({ family: NAME, networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512" });
    const current = fake.currentDefinition(NAME);
    expect(current.taskDefinitionArn).toMatch(new RegExp(`:task-definition/${NAME}:2$`));
    expect(current.containerDefinitions).toEqual([
      {
        name: "collector",
        image: "mlb/collector:2",
        essential: true,
        environment: [
          { name: "REDIS_ENDPOINT", value: "redis://10.0.0.5:6379" },
          { name: "LOG_LEVEL", value: "debug" },
          { name: "NEW_VAR", value: "x" },
        ],
      },
    ]);
    // Image and desired count change in one UpdateService (here the count is unchanged).
    expect(fake.calls("UpdateService").at(-1)?.body).toEqual({ cluster: CLUSTER, service: NAME, desiredCount: 2, taskDefinition: current.taskDefinitionArn });

    await ecs.scale(changed, 4);
    expect(fake.calls("RegisterTaskDefinition")).toHaveLength(1);
    expect(fake.calls("UpdateService").at(-1)?.body).toEqual({ cluster: CLUSTER, service: NAME, desiredCount: 4 });
    // Revisions are immutable: each is described at most once (the registered one never).
    expect(fake.calls("DescribeTaskDefinition")).toHaveLength(1);

    const registered = logs.lines.find((l) => l.msg === "ecs task definition registered");
    expect(registered).toMatchObject({ ecsService: NAME, changed: ["container.environment", "container.image"], taskDefinition: current.taskDefinitionArn });
  });

  test("unchanged config does not re-register, across orchestrator restarts", async ({ fake, connect }) => {
    const templateSecret = { name: "REDIS_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis" };
    fake.addService(NAME, templateDefinition(SPEC, { secrets: [templateSecret] }));
    await connect().scale(SPEC, 2);
    await connect().scale(SPEC, 3);
    await connect().status(SPEC);

    expect(fake.calls("RegisterTaskDefinition")).toHaveLength(0);
    expect(fake.calls("UpdateService").map((r) => r.body.taskDefinition)).toEqual([undefined, undefined]);
    expect(fake.services.get(NAME)?.desiredCount).toBe(3);
  });

  test("a missing service is an error naming the service and the cluster", async ({ fake, connect }) => {
    const ecs = connect();
    const message = `ECS service ${NAME} not found in cluster ${CLUSTER} (MISSING)`;
    await expect(ecs.scale(SPEC, 2)).rejects.toThrow(message);
    await expect(ecs.status(SPEC)).rejects.toSatisfy((err) => err instanceof EcsServiceNotFoundError && err.service === NAME && err.cluster === CLUSTER);
    expect(fake.calls("UpdateService")).toHaveLength(0);
  });

  test("secrets come from Secrets Manager references and no env value reaches a log line", async ({ fake, connect, logs }) => {
    fake.addService(NAME, templateDefinition(SPEC));
    const mnemonic = `${randomBytes(12).toString("hex")} abandon ability able`;
    const password = randomBytes(16).toString("hex");
    const mnemonicArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mlb/mnemonic";
    const spec: WorkloadSpec = { ...SPEC, env: { ...SPEC.env, WALLET_MNEMONIC: mnemonic, REDIS_PASSWORD: password } };
    const ecs = connect({ secrets: { WALLET_MNEMONIC: mnemonicArn } });

    await ecs.scale(spec, 1);

    const [container] = fake.currentDefinition(NAME).containerDefinitions as Json[];
    expect(container?.secrets).toEqual([{ name: "WALLET_MNEMONIC", valueFrom: mnemonicArn }]);
    expect(JSON.stringify(fake.requests)).not.toContain(mnemonic);
    // An unmapped secret-looking name is written as a plain value and warned about, by name only.
    expect(logs.lines.find((l) => l.level === "warn")).toMatchObject({ env: ["REDIS_PASSWORD"] });
    expect(logs.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["ecs task definition registered", "ecs service scaled"]));
    for (const value of [mnemonic, password, SPEC.env.REDIS_ENDPOINT!]) expect(logs.text()).not.toContain(value);
  });

  test("a workload whose env lacks a mapped secret gets no reference to it", async ({ fake, connect }) => {
    fake.addService(NAME, templateDefinition(SPEC));
    await connect({ secrets: { WALLET_MNEMONIC: "arn:aws:secretsmanager:us-east-1:123456789012:secret:mlb/mnemonic" } }).scale(SPEC, 1);
    const [container] = fake.currentDefinition(NAME).containerDefinitions as Json[];
    expect(container?.secrets).toBeUndefined();
  });
});
