import { LOG_LEVELS } from "../log/logger.js";
import { parseRedisEndpoint } from "../redis/connection.js";
import { registerSecretValue } from "./secret.js";
import { envBool, envEnum, envInt, envOptional, envSecret, envString, envUrlList } from "./env.js";

/**
 * Configuration fragments every service spreads into its own schema. Names follow the original
 * Mars bot where one existed (`LOG_LEVEL`, `REDIS_ENDPOINT`, `RPC_ENDPOINT`, `CHAIN_ID`, ...).
 */

export const CHAINS = ["osmosis", "neutron"] as const;
export type ChainName = (typeof CHAINS)[number];
export const PRODUCTS = ["redbank", "rover"] as const;
export type Product = (typeof PRODUCTS)[number];

export const loggingFields = {
  LOG_LEVEL: envEnum("Minimum level written: fatal, error, warn, info, debug, trace or silent.", LOG_LEVELS, "info"),
  LOG_PRETTY: envBool("1 prints human-readable lines instead of JSON (for a terminal, not for log shipping).", false),
};

export const redisFields = {
  REDIS_ENDPOINT: envString(
    "Redis to use: redis://[user:password@]host:port[/db], rediss://... for TLS, or host:port as in the original bot.",
    "redis://127.0.0.1:6379",
  ).superRefine((v, ctx) => {
    try {
      // A password inside the URL is as secret as REDIS_PASSWORD: keep it out of every log line.
      const { password } = parseRedisEndpoint(v);
      if (password) {
        registerSecretValue(password);
        registerSecretValue(encodeURIComponent(password));
      }
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
    }
  }),
  REDIS_PASSWORD: envSecret("Redis AUTH password; overrides a password in REDIS_ENDPOINT.").optional(),
  REDIS_CLUSTER: envBool("1 connects to a Redis Cluster (e.g. ElastiCache cluster mode) with REDIS_ENDPOINT as the seed node.", false),
  REDIS_CLUSTER_NODES: envOptional("Comma-separated host:port seed nodes of a Redis Cluster; implies REDIS_CLUSTER=1."),
  REDIS_TLS_CA_FILE: envOptional("PEM file with the CA that signed the Redis server certificate (rediss:// only); the system CAs otherwise."),
  REDIS_NAMESPACE: envString("Prefix of every key, in front of the {chain:product} hash tag; lets several deployments share one Redis.", "mlb"),
};

export const pipelineFields = {
  CHAIN_NAME: envEnum("Chain whose Mars deployment this pipeline serves: osmosis or neutron.", CHAINS, "osmosis"),
  CHAIN_ID: envOptional("Chain id of the node (e.g. osmosis-1), bound to logs and metrics."),
  PRODUCT: envEnum("Mars product of this pipeline: redbank or rover (the credit manager).", PRODUCTS, "redbank", {
    creditmanager: "rover",
  }),
};

export const endpointFields = {
  RPC_ENDPOINT: envUrlList("CometBFT RPC endpoints, comma-separated, tried in order with failover.", ["http", "https"], "http://127.0.0.1:26657"),
  LCD_ENDPOINT: envUrlList("LCD (REST) endpoints, comma-separated, tried in order with failover.", ["http", "https"], "http://127.0.0.1:1317"),
  HIVE_ENDPOINT: envUrlList("Hive GraphQL endpoints, comma-separated, tried in order with failover.", ["http", "https"], "http://127.0.0.1:8085/graphql"),
};

export const metricsFields = {
  METRICS_HOST: envString("Address the /metrics, /healthz and /readyz server listens on.", "0.0.0.0"),
};

/** The metrics port field; each service has its own default so they can share a host network. */
export function metricsPortField(fallback: number) {
  return envInt("Port of the /metrics, /healthz and /readyz server; 0 picks a free port (logged at start).", fallback, { min: 0, max: 65535 });
}

/** Where the Mars contracts are: the address provider names the rest; each may be pinned explicitly. */
export const marsContractFields = {
  ADDRESS_PROVIDER_ADDRESS: envString("Mars address-provider contract; the other contract addresses are read from it at start."),
  REDBANK_ADDRESS: envOptional("Red Bank contract; overrides the address provider's red_bank."),
  CREDIT_MANAGER_ADDRESS: envOptional("Credit manager (Rover) contract; overrides the address provider's credit_manager."),
  ORACLE_ADDRESS: envOptional("Oracle contract; overrides the address provider's oracle."),
  MARS_PARAMS_ADDRESS: envOptional("Params contract; overrides the address provider's params."),
  HEALTH_ADDRESS: envOptional("Health contract; overrides the address provider's health."),
  SWAPPER_ADDRESS: envOptional("Swapper contract; overrides the address provider's swapper."),
};

/** How the account space is cut (see shared/src/positions/shards.ts); every service of a pipeline must agree. */
export const positionFields = {
  POSITION_SHARDS: envInt("Shards of the account space (1..32): cache slices, scan partitions and health-checker work units. Every service of a pipeline must use the same value.", 16, { min: 1, max: 32 }),
};
