import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the Amazon ECS API, speaking its wire format (AWS JSON 1.1: `POST /`,
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`, `application/x-amz-json-1.1`
 * bodies, errors as `{ "__type", "message" }` with status 400), so the real `@aws-sdk/client-ecs`
 * can be pointed at it with `endpoint`. It keeps services and task definitions in memory and
 * logs every request. SigV4 is not verified, only required to be present.
 *
 * Operations: DescribeServices, UpdateService, RegisterTaskDefinition, DescribeTaskDefinition.
 * The scheduler is not simulated: tests move tasks between pending and running with `setCounts`.
 *
 * Reference: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Operations.html
 */

export const ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
const REGION = "us-east-1";
const ACCOUNT = "123456789012";

/** A JSON object as it crosses the wire. */
export type Json = Record<string, unknown>;

export interface EcsRequest {
  operation: string;
  body: Json;
  /** The `Authorization` header (SigV4 from the SDK). */
  authorization: string | undefined;
}

export interface FakeService {
  serviceName: string;
  serviceArn: string;
  clusterArn: string;
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** Task definition ARN. */
  taskDefinition: string;
}

export class FakeEcsServer {
  readonly requests: EcsRequest[] = [];
  readonly services = new Map<string, FakeService>();
  /** Task definitions by ARN, as DescribeTaskDefinition returns them. */
  readonly taskDefinitions = new Map<string, Json>();
  readonly #revisions = new Map<string, number>();
  readonly #server: Server;
  readonly #cluster: string;

  private constructor(cluster: string) {
    this.#cluster = cluster;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Starts a fake for one cluster on 127.0.0.1, on a free port. */
  static async start(cluster = "mlb"): Promise<FakeEcsServer> {
    const fake = new FakeEcsServer(cluster);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.#server.close((err) => (err ? reject(err) : resolve())));
  }

  /** Creates a service (as the operator's templates would) with a first task definition revision in the family `name`. */
  addService(name: string, definition: { containerDefinitions: Json[] } & Json, counts: Partial<Pick<FakeService, "desiredCount" | "runningCount" | "pendingCount">> = {}): FakeService {
    const registered = this.#register({ family: name, ...definition });
    const service: FakeService = {
      serviceName: name,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${this.#cluster}/${name}`,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${this.#cluster}`,
      status: "ACTIVE",
      desiredCount: 0,
      runningCount: 0,
      pendingCount: 0,
      ...counts,
      taskDefinition: registered.taskDefinitionArn as string,
    };
    this.services.set(name, service);
    return service;
  }

  /** Simulates the scheduler: sets how many of the service's tasks are pending and running. */
  setCounts(name: string, counts: Partial<Pick<FakeService, "runningCount" | "pendingCount">>): void {
    const service = this.services.get(name);
    if (service === undefined) throw new Error(`fake ECS: no service ${name}`);
    Object.assign(service, counts);
  }

  /** The task definition a service points at now. */
  currentDefinition(name: string): Json {
    const arn = this.services.get(name)?.taskDefinition;
    const definition = arn === undefined ? undefined : this.taskDefinitions.get(arn);
    if (definition === undefined) throw new Error(`fake ECS: no task definition for service ${name}`);
    return definition;
  }

  /** The requests of one operation, in order. */
  calls(operation: string): EcsRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith(ECS_TARGET_PREFIX) ? target.slice(ECS_TARGET_PREFIX.length) : target;
    let body: Json;
    try {
      body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Json);
    } catch {
      return send(res, 400, { __type: "SerializationException", message: "body is not JSON" });
    }
    this.requests.push({ operation, body, authorization: req.headers.authorization });
    if (req.method !== "POST" || !String(req.headers["content-type"]).startsWith("application/x-amz-json-1.1")) {
      return send(res, 400, { __type: "UnknownOperationException", message: "expected POST with application/x-amz-json-1.1" });
    }
    if (!String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) {
      return send(res, 403, { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
    }
    try {
      send(res, 200, this.#operation(operation, body));
    } catch (err) {
      if (err instanceof EcsApiError) return send(res, 400, { __type: err.type, message: err.message });
      send(res, 500, { __type: "ServerException", message: String(err) });
    }
  }

  #operation(operation: string, body: Json): Json {
    switch (operation) {
      case "DescribeServices": {
        this.#checkCluster(body);
        const names = (body.services as string[] | undefined) ?? [];
        const found = names.map((n) => this.#service(n)).filter((s): s is FakeService => s !== undefined);
        const failures = names.filter((n) => this.#service(n) === undefined).map((n) => ({ arn: this.#serviceArn(n), reason: "MISSING" }));
        return { services: found.map((s) => this.#describe(s)), failures };
      }
      case "UpdateService": {
        this.#checkCluster(body);
        const service = this.#service(String(body.service));
        if (service === undefined || service.status !== "ACTIVE") throw new EcsApiError("ServiceNotFoundException", "Service not found.");
        if (body.taskDefinition !== undefined) service.taskDefinition = this.#definitionArn(String(body.taskDefinition));
        if (body.desiredCount !== undefined) {
          const n = body.desiredCount as number;
          if (!Number.isInteger(n) || n < 0) throw new EcsApiError("InvalidParameterException", "desiredCount must be a non-negative integer");
          service.desiredCount = n;
        }
        return { service: this.#describe(service) };
      }
      case "RegisterTaskDefinition": {
        const { tags, ...input } = body;
        if (typeof input.family !== "string" || !Array.isArray(input.containerDefinitions)) throw new EcsApiError("ClientException", "family and containerDefinitions are required");
        return { taskDefinition: this.#register(input), tags: tags ?? [] };
      }
      case "DescribeTaskDefinition": {
        const definition = this.taskDefinitions.get(this.#definitionArn(String(body.taskDefinition)));
        return { taskDefinition: definition, tags: [] };
      }
      default:
        throw new EcsApiError("UnknownOperationException", `fake ECS does not implement ${operation}`);
    }
  }

  #register(input: Json): Json {
    const family = String(input.family);
    const revision = (this.#revisions.get(family) ?? 0) + 1;
    this.#revisions.set(family, revision);
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
    const definition: Json = structuredClone({ ...input, taskDefinitionArn: arn, revision, status: "ACTIVE", registeredAt: Date.now() / 1000 });
    this.taskDefinitions.set(arn, definition);
    return definition;
  }

  /** Resolves `arn`, `family:revision` or `family` (latest) to an ARN, as ECS does. */
  #definitionArn(ref: string): string {
    if (this.taskDefinitions.has(ref)) return ref;
    const [family, revision] = ref.split(":");
    const rev = revision ?? String(this.#revisions.get(family ?? "") ?? "");
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${rev}`;
    if (!this.taskDefinitions.has(arn)) throw new EcsApiError("ClientException", "Unable to describe task definition.");
    return arn;
  }

  #checkCluster(body: Json): void {
    const cluster = String(body.cluster ?? "default");
    if (cluster !== this.#cluster && !cluster.endsWith(`:cluster/${this.#cluster}`)) throw new EcsApiError("ClusterNotFoundException", "Cluster not found.");
  }

  #service(ref: string): FakeService | undefined {
    return this.services.get(ref) ?? [...this.services.values()].find((s) => s.serviceArn === ref);
  }

  #serviceArn(name: string): string {
    return name.startsWith("arn:") ? name : `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${this.#cluster}/${name}`;
  }

  #describe(s: FakeService): Json {
    return { ...s, launchType: "FARGATE", createdAt: Date.now() / 1000, deployments: [], events: [] };
  }
}

class EcsApiError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

function send(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": crypto.randomUUID() };
  if (status >= 400) headers["x-amzn-errortype"] = String(body.__type);
  res.writeHead(status, headers).end(text);
}
