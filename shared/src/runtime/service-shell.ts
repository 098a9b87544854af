import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { RedisClient } from "../redis/connection.js";
import { HealthServer } from "../metrics/health-server.js";
import type { Runnable } from "./service.js";

/** How long a clean Redis QUIT may take at shutdown before the connection is simply dropped. */
const QUIT_TIMEOUT_MS = 2_000;

/** A long-running part of a service (a queue consumer, a block watcher, ...). */
export interface Component {
  /** For logs and `/readyz`. */
  readonly name: string;
  start(): Promise<void>;
  /** Finishes or returns in-flight work, then releases what it holds. */
  stop(): Promise<void>;
  /** True while the component can do its work. */
  ready?(): boolean;
}

export interface ServiceShellOptions {
  logger: Logger;
  redis: RedisClient;
  registry: Registry;
  metricsHost: string;
  metricsPort: number;
  components: Component[];
}

/**
 * What every service process is around its own stages: the health/metrics server, the Redis
 * connection and an ordered list of components. `start()` listens and starts the components in
 * order; `stop()` (idempotent) stops them in reverse order, each step in its own try/catch so one
 * failure does not keep the rest from stopping, then closes the server and Redis.
 */
export class ServiceShell implements Runnable {
  readonly health: HealthServer;
  readonly #options: ServiceShellOptions;
  #stopping: Promise<void> | undefined;

  constructor(options: ServiceShellOptions) {
    this.#options = options;
    this.health = new HealthServer({
      host: options.metricsHost,
      port: options.metricsPort,
      registry: options.registry,
      logger: options.logger,
      readiness: {
        redis: () => options.redis.status === "ready",
        ...Object.fromEntries(options.components.filter((c) => c.ready).map((c) => [c.name, () => c.ready!()])),
      },
    });
  }

  async start(): Promise<void> {
    await this.health.listen();
    for (const component of this.#options.components) {
      await component.start();
      this.#options.logger.info({ component: component.name }, "component started");
    }
    this.#options.logger.info({ metricsPort: this.health.port }, "service started");
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const { logger, components, redis } = this.#options;
    for (const component of [...components].reverse()) {
      try {
        await component.stop();
      } catch (err) {
        logger.error({ err, component: component.name }, "component stop failed");
      }
    }
    try {
      await this.health.close();
    } catch (err) {
      logger.error({ err }, "health server close failed");
    }
    // QUIT waits for Redis; a Redis that is down (reconnecting) would keep it waiting forever.
    const quit = redis.quit().then(
      () => true,
      (err: unknown) => {
        logger.debug({ err }, "redis quit failed");
        return false;
      },
    );
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), QUIT_TIMEOUT_MS).unref());
    if (!(await Promise.race([quit, timeout]))) redis.disconnect();
  }
}
