import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { Registry, collectDefaultMetrics } from "prom-client";

/** A readiness check of one component (Redis, chain client, ...): true when it can do its work. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface HealthServerOptions {
  host: string;
  /** 0 picks a free port; read the chosen one from `port` after `listen()`. */
  port: number;
  registry: Registry;
  logger: Logger;
  /** Components whose readiness `/readyz` reports; the whole is ready when all are. */
  readiness?: Record<string, ReadinessCheck>;
}

/**
 * Creates the Prometheus registry of a service with Node's default process metrics and the
 * labels every series carries (`service`, `chain`, `product`).
 */
export function createMetricsRegistry(labels: Record<string, string>): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The HTTP server of every service: `/metrics` (Prometheus text), `/healthz` (liveness: the
 * process and its event loop answer) and `/readyz` (each readiness check, 503 while any fails).
 */
export class HealthServer {
  readonly #options: HealthServerOptions;
  readonly #server: Server;
  #port = 0;

  constructor(options: HealthServerOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => {
      this.#handle(req.url ?? "/").then(
        ({ status, type, body }) => {
          res.writeHead(status, { "content-type": type });
          res.end(body);
        },
        (err: unknown) => {
          options.logger.error({ err, url: req.url }, "health server request failed");
          res.writeHead(500, { "content-type": "text/plain" });
          res.end("internal error\n");
        },
      );
    });
  }

  /** The port it listens on (after `listen()`). */
  get port(): number {
    return this.#port;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(this.#options.port, this.#options.host, () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#options.logger.info({ host: this.#options.host, port: this.#port }, "health server listening");
    return this.#port;
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(url: string): Promise<{ status: number; type: string; body: string }> {
    const path = url.split("?")[0];
    if (path === "/metrics") {
      return { status: 200, type: this.#options.registry.contentType, body: await this.#options.registry.metrics() };
    }
    if (path === "/healthz" || path === "/health") {
      return json(200, { status: "ok", uptimeS: Math.round(process.uptime()) });
    }
    if (path === "/readyz") {
      const components: Record<string, boolean> = {};
      for (const [name, check] of Object.entries(this.#options.readiness ?? {})) {
        try {
          components[name] = await check();
        } catch {
          components[name] = false;
        }
      }
      const ready = Object.values(components).every(Boolean);
      return json(ready ? 200 : 503, { status: ready ? "ready" : "not ready", components });
    }
    return json(404, { status: "not found", routes: ["/metrics", "/healthz", "/readyz"] });
  }
}

function json(status: number, body: unknown) {
  return { status, type: "application/json", body: `${JSON.stringify(body)}\n` };
}
