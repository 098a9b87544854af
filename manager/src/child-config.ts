/**
 * What the manager hands each service it starts: the pipeline's shared settings (chain, endpoints
 * with their fallbacks, Redis, contracts, shards) plus that service's own object from
 * COLLECTOR_CONFIG, HEALTH_CHECKER_CONFIG or EXECUTOR_CONFIG, as the original bot's Makefile did.
 * Each result is validated against the service's own schema when the manager starts, so a bad one
 * fails before anything is started, naming the service and the variable.
 */
import { collectorConfigSchema } from "@mlb/collector";
import { healthCheckerConfigSchema } from "@mlb/health-checker";
import { liquidatorConfigSchema } from "@mlb/liquidator";
import { ConfigError, parseConfig } from "@mlb/shared";
import type { ManagerConfig } from "./config.js";
import type { WorkerService } from "./orchestrators/orchestrator.js";

const SCHEMAS = { collector: collectorConfigSchema, "health-checker": healthCheckerConfigSchema, liquidator: liquidatorConfigSchema } as const;

/** The manager settings every child shares, as environment variables. */
function sharedEnv(c: ManagerConfig): Record<string, string> {
  const env: Record<string, string | undefined> = {
    LOG_LEVEL: c.LOG_LEVEL,
    LOG_PRETTY: c.LOG_PRETTY ? "1" : "0",
    CHAIN_NAME: c.CHAIN_NAME,
    CHAIN_ID: c.CHAIN_ID,
    PRODUCT: c.PRODUCT,
    REDIS_ENDPOINT: c.REDIS_ENDPOINT,
    REDIS_PASSWORD: c.REDIS_PASSWORD?.reveal(),
    REDIS_CLUSTER: c.REDIS_CLUSTER ? "1" : "0",
    REDIS_CLUSTER_NODES: c.REDIS_CLUSTER_NODES,
    REDIS_TLS_CA_FILE: c.REDIS_TLS_CA_FILE,
    REDIS_NAMESPACE: c.REDIS_NAMESPACE,
    RPC_ENDPOINT: c.RPC_ENDPOINT.join(","),
    LCD_ENDPOINT: c.LCD_ENDPOINT.join(","),
    HIVE_ENDPOINT: c.HIVE_ENDPOINT.join(","),
    ADDRESS_PROVIDER_ADDRESS: c.ADDRESS_PROVIDER_ADDRESS,
    REDBANK_ADDRESS: c.REDBANK_ADDRESS,
    CREDIT_MANAGER_ADDRESS: c.CREDIT_MANAGER_ADDRESS,
    ORACLE_ADDRESS: c.ORACLE_ADDRESS,
    MARS_PARAMS_ADDRESS: c.MARS_PARAMS_ADDRESS,
    HEALTH_ADDRESS: c.HEALTH_ADDRESS,
    SWAPPER_ADDRESS: c.SWAPPER_ADDRESS,
    POSITION_SHARDS: String(c.POSITION_SHARDS),
    METRICS_HOST: c.METRICS_HOST,
    // Several instances share a host network: each picks a free port and logs it.
    METRICS_PORT: "0",
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The environment of `service`: shared settings, then its own object (which wins). */
export function childEnv(c: ManagerConfig, service: WorkerService): Record<string, string> {
  const own = service === "collector" ? c.COLLECTOR_CONFIG : service === "health-checker" ? c.HEALTH_CHECKER_CONFIG : c.EXECUTOR_CONFIG;
  const env = { ...sharedEnv(c), ...own };
  if (service === "liquidator" && c.WALLET_MNEMONIC !== undefined && env.WALLET_MNEMONIC === undefined) env.WALLET_MNEMONIC = c.WALLET_MNEMONIC.reveal();
  return env;
}

/**
 * Builds and validates every child's environment; throws a `ConfigError` whose issues name the
 * service and the variable (`EXECUTOR_CONFIG → liquidator: MAX_LIQUIDATORS: ...`).
 */
export function childEnvs(c: ManagerConfig): Record<WorkerService, Record<string, string>> {
  const out = {} as Record<WorkerService, Record<string, string>>;
  const issues: { variable: string; message: string }[] = [];
  for (const service of Object.keys(SCHEMAS) as WorkerService[]) {
    out[service] = childEnv(c, service);
    try {
      parseConfig(service, SCHEMAS[service], out[service]);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const source = service === "collector" ? "COLLECTOR_CONFIG" : service === "health-checker" ? "HEALTH_CHECKER_CONFIG" : "EXECUTOR_CONFIG";
      for (const i of err.issues) issues.push({ variable: source, message: `${service}: ${i.variable}: ${i.message}` });
    }
  }
  if (issues.length > 0) throw new ConfigError("manager", issues);
  return out;
}
