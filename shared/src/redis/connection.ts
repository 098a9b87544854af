import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { Cluster, Redis, type ClusterNode, type RedisOptions } from "ioredis";
import type { Logger } from "pino";
import type { Secret } from "../config/secret.js";
import { backoffDelayMs } from "../runtime/retry.js";

/** A connection to a single Redis node or to a Redis Cluster; both speak the same commands. */
export type RedisClient = Redis | Cluster;

/** What `createRedis` needs; the `redisFields` of a service config satisfy it. */
export interface RedisSettings {
  REDIS_ENDPOINT: string;
  REDIS_PASSWORD?: Secret | undefined;
  REDIS_CLUSTER: boolean;
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_TLS_CA_FILE?: string | undefined;
}

interface Endpoint {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** Parses `redis://`, `rediss://` or a bare `host:port` (the original bot's form). */
export function parseRedisEndpoint(endpoint: string): Endpoint {
  let url: URL;
  try {
    url = new URL(endpoint.includes("://") ? endpoint : `redis://${endpoint}`);
  } catch {
    throw new Error("expected redis://host:port, rediss://host:port or host:port");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new Error(`must use redis:// or rediss://, got ${url.protocol}//`);
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`the database must be a number, got ${url.pathname.slice(1)}`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : 6379,
    db,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === "rediss:",
  };
}

/**
 * Opens a Redis connection that survives Redis restarts: it reconnects with exponential backoff
 * and jitter (capped at 5 s) and keeps commands queued until the server is back
 * (`maxRetriesPerRequest: null`), so a worker never loses an item because Redis blinked.
 * `name` shows up in `CLIENT LIST` and in the logs.
 */
export function createRedis(settings: RedisSettings, logger: Logger, name: string): RedisClient {
  const ep = parseRedisEndpoint(settings.REDIS_ENDPOINT);
  const password = settings.REDIS_PASSWORD?.reveal() ?? ep.password;
  const tls: ConnectionOptions | undefined = ep.tls
    ? { ca: settings.REDIS_TLS_CA_FILE ? readFileSync(settings.REDIS_TLS_CA_FILE) : undefined, servername: isIP(ep.host) ? undefined : ep.host }
    : undefined;
  const log = logger.child({ component: "redis", connection: name });
  const retryStrategy = (times: number) => {
    const delay = backoffDelayMs(times, { baseMs: 50, maxMs: 5_000 });
    if (times === 1 || times % 10 === 0) log.warn({ attempt: times, delayMs: delay }, "redis reconnecting");
    return delay;
  };
  const common: RedisOptions = {
    username: ep.username,
    password,
    tls,
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy,
  };

  const clusterNodes = settings.REDIS_CLUSTER_NODES?.split(",").map((s) => s.trim()).filter(Boolean);
  let client: RedisClient;
  if (settings.REDIS_CLUSTER || clusterNodes?.length) {
    const nodes: ClusterNode[] = clusterNodes?.length
      ? clusterNodes.map((n) => {
          const p = parseRedisEndpoint(n);
          return { host: p.host, port: p.port };
        })
      : [{ host: ep.host, port: ep.port }];
    client = new Cluster(nodes, {
      redisOptions: common,
      clusterRetryStrategy: retryStrategy,
      // ElastiCache TLS certificates name the configuration endpoint, not the node IPs.
      dnsLookup: (address, callback) => callback(null, address),
      enableOfflineQueue: true,
    });
  } else {
    client = new Redis({ ...common, host: ep.host, port: ep.port, db: ep.db });
  }
  let wasReady = false;
  client.on("ready", () => {
    log[wasReady ? "info" : "debug"]({ host: ep.host, port: ep.port }, wasReady ? "redis reconnected" : "redis connected");
    wasReady = true;
  });
  client.on("error", (err: Error) => log.debug({ err }, "redis connection error"));
  return client;
}
