import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

/**
 * A local stand-in for the Kubernetes API server's Deployment endpoints, speaking its wire format
 * (JSON bodies, `Status` objects for errors, JSON patch and merge patch by `Content-Type`), so the
 * real `@kubernetes/client-node` can be pointed at it through a kubeconfig (`writeKubeconfig`).
 * Plain HTTP on 127.0.0.1 (the kubeconfig sets `insecure-skip-tls-verify`, without which the client
 * refuses http), bearer token recorded but not checked. Deployments live in memory and
 * every request is logged. No controller runs: tests set ready replicas with `setReady`.
 *
 * Endpoints: GET, PUT and PATCH on `/apis/apps/v1/namespaces/{ns}/deployments/{name}` and on its
 * `/scale` subresource. PATCH accepts `application/json-patch+json` (RFC 6902) and
 * `application/merge-patch+json` (RFC 7386); strategic merge patch is refused with 415.
 *
 * Reference: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/
 */

/** A JSON object as it crosses the wire. */
export type Json = Record<string, unknown>;

export interface KubeRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

export interface DeploymentSeed {
  namespace: string;
  name: string;
  replicas?: number;
  /** The pod's containers; one named `container` with `image`/`env` when omitted. */
  containers?: Json[];
  container?: string;
  image?: string;
  env?: Json[];
}

const JSON_PATCH = "application/json-patch+json";
const MERGE_PATCH = "application/merge-patch+json";

export class FakeKubeServer {
  readonly requests: KubeRequest[] = [];
  /** Deployments by `namespace/name`, as the API returns them. */
  readonly deployments = new Map<string, Json>();
  readonly #server: Server;
  #resourceVersion = 1;

  private constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Starts the fake on 127.0.0.1, on a free port. */
  static async start(): Promise<FakeKubeServer> {
    const fake = new FakeKubeServer();
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** `http://127.0.0.1:<port>`. */
  get server(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.#server.close((err) => (err ? reject(err) : resolve())));
  }

  /** Writes a kubeconfig for this server (token user, namespace context) into `dir`; returns its path. */
  async writeKubeconfig(dir: string, token = "test-token"): Promise<string> {
    const path = join(dir, "kubeconfig.yaml");
    const yaml = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "  - name: fake",
      "    cluster:",
      `      server: ${this.server}`,
      // client-node refuses plain http unless TLS verification is off.
      "      insecure-skip-tls-verify: true",
      "users:",
      "  - name: tester",
      "    user:",
      `      token: ${token}`,
      "contexts:",
      "  - name: fake",
      "    context: { cluster: fake, user: tester }",
      "current-context: fake",
      "",
    ].join("\n");
    await writeFile(path, yaml);
    return path;
  }

  /** Creates a Deployment as the operator's manifests would. */
  addDeployment(seed: DeploymentSeed): Json {
    const labels = { app: seed.name };
    const containers = seed.containers ?? [{ name: seed.container ?? "container", image: seed.image ?? "busybox", ...(seed.env !== undefined && { env: seed.env }) }];
    const deployment: Json = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: seed.name, namespace: seed.namespace, uid: randomUUID(), resourceVersion: this.#nextVersion(), generation: 1, creationTimestamp: new Date().toISOString(), labels },
      spec: {
        replicas: seed.replicas ?? 0,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers, terminationGracePeriodSeconds: 30 } },
      },
      status: { observedGeneration: 1 },
    };
    this.deployments.set(`${seed.namespace}/${seed.name}`, deployment);
    return deployment;
  }

  /** Simulates the controller: `ready` pods are ready (the API omits `readyReplicas` when 0). */
  setReady(namespace: string, name: string, ready: number, replicas = ready): void {
    const deployment = this.#get(namespace, name);
    if (deployment === undefined) throw new Error(`fake Kubernetes: no deployment ${namespace}/${name}`);
    deployment.status = { observedGeneration: (deployment.metadata as Json).generation, replicas, ...(ready > 0 && { readyReplicas: ready, availableReplicas: ready }) };
  }

  /** The Deployment's `spec` (replicas, template). */
  spec(namespace: string, name: string): { replicas: number; template: { spec: { containers: Json[] } } } {
    return this.#get(namespace, name)?.spec as ReturnType<FakeKubeServer["spec"]>;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", this.server);
    const method = req.method ?? "GET";
    const contentType = req.headers["content-type"]?.split(";")[0];
    let body: unknown;
    try {
      body = chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return sendStatus(res, 400, "BadRequest", "body is not JSON");
    }
    this.requests.push({ method, path: url.pathname, contentType, authorization: req.headers.authorization, body });

    const match = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/.exec(url.pathname);
    if (match === null) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
    const [, namespace = "", name = "", scale] = match;
    const deployment = this.#get(namespace, name);
    if (deployment === undefined) return sendStatus(res, 404, "NotFound", `deployments.apps "${name}" not found`, { name, group: "apps", kind: "deployments" });

    const current = scale ? scaleOf(deployment) : deployment;
    if (method === "GET") return sendJson(res, 200, current);
    let next: Json;
    if (method === "PUT") {
      next = body as Json;
      const version = (next.metadata as Json | undefined)?.resourceVersion;
      if (version !== undefined && version !== (deployment.metadata as Json).resourceVersion) {
        return sendStatus(res, 409, "Conflict", `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`);
      }
    } else if (method === "PATCH") {
      if (contentType === JSON_PATCH) {
        try {
          next = applyJsonPatch(current, body as JsonPatchOp[]);
        } catch (err) {
          return sendStatus(res, 422, "Invalid", `json patch failed: ${(err as Error).message}`);
        }
      } else if (contentType === MERGE_PATCH) {
        next = mergePatch(current, body) as Json;
      } else {
        return sendStatus(res, 415, "UnsupportedMediaType", `the fake supports ${JSON_PATCH} and ${MERGE_PATCH}, not ${contentType}`);
      }
    } else {
      return sendStatus(res, 405, "MethodNotAllowed", `${method} is not supported`);
    }

    const replicas = (next.spec as Json | undefined)?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || (replicas as number) < 0)) {
      return sendStatus(res, 422, "Invalid", `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
    }
    if (scale) {
      (deployment.spec as Json).replicas = replicas ?? 0;
    } else {
      const specChanged = !isDeepStrictEqual(next.spec, deployment.spec);
      const metadata = deployment.metadata as Json;
      next.metadata = { ...metadata, ...(next.metadata as Json), generation: (metadata.generation as number) + (specChanged ? 1 : 0) };
      next.status = deployment.status;
      this.deployments.set(`${namespace}/${name}`, next);
    }
    ((this.#get(namespace, name) as Json).metadata as Json).resourceVersion = this.#nextVersion();
    sendJson(res, 200, scale ? scaleOf(this.#get(namespace, name) as Json) : this.#get(namespace, name));
  }

  #get(namespace: string, name: string): Json | undefined {
    return this.deployments.get(`${namespace}/${name}`);
  }

  #nextVersion(): string {
    return String(++this.#resourceVersion);
  }
}

/** The autoscaling/v1 Scale of a Deployment. */
function scaleOf(deployment: Json): Json {
  const metadata = deployment.metadata as Json;
  const spec = deployment.spec as Json;
  const selector = Object.entries(((spec.selector as Json).matchLabels as Record<string, string>) ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: metadata.name, namespace: metadata.namespace, uid: metadata.uid, resourceVersion: metadata.resourceVersion, creationTimestamp: metadata.creationTimestamp },
    spec: { ...(spec.replicas !== 0 && { replicas: spec.replicas }) }, // omitempty, as the API server does
    status: { replicas: (deployment.status as Json).replicas ?? 0, selector },
  };
}

interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "test" | string;
  path: string;
  value?: unknown;
}

/** RFC 6902 (add, remove, replace, test) on a copy. */
function applyJsonPatch(document: Json, ops: JsonPatchOp[]): Json {
  const doc = structuredClone(document);
  for (const { op, path, value } of ops) {
    const keys = path.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = keys.pop();
    if (last === undefined) throw new Error(`${op} on the whole document is not supported`);
    let parent: unknown = doc;
    for (const key of keys) {
      parent = (parent as Record<string, unknown> | undefined)?.[key];
      if (parent === undefined || parent === null || typeof parent !== "object") throw new Error(`path ${path} does not exist`);
    }
    const list = Array.isArray(parent) ? (parent as unknown[]) : undefined;
    const object = parent as Record<string, unknown>;
    const index = last === "-" ? (list?.length ?? 0) : Number(last);
    const exists = list !== undefined ? index < list.length : last in object;
    const current = list !== undefined ? list[index] : object[last];
    switch (op) {
      case "test":
        if (!exists || !isDeepStrictEqual(current, value)) throw new Error(`test of ${path} failed`);
        break;
      case "add":
        if (list !== undefined) list.splice(index, 0, value);
        else object[last] = value;
        break;
      case "replace":
        if (!exists) throw new Error(`replace of missing ${path}`);
        if (list !== undefined) list[index] = value;
        else object[last] = value;
        break;
      case "remove":
        if (!exists) throw new Error(`remove of missing ${path}`);
        if (list !== undefined) list.splice(index, 1);
        else delete object[last];
        break;
      default:
        throw new Error(`op ${op} is not supported`);
    }
  }
  return doc;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = target !== null && typeof target === "object" && !Array.isArray(target) ? structuredClone(target as Json) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string, details?: Json): void {
  sendJson(res, code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details !== undefined && { details }), code });
}
