import { z } from "zod";
import {
  endpointFields,
  envBool,
  envDecimal,
  envEnum,
  envInt,
  envJson,
  envOptional,
  envSecret,
  envString,
  envUrlList,
  loggingFields,
  marsContractFields,
  metricsFields,
  metricsPortField,
  mnemonicProblem,
  pipelineFields,
  positionFields,
  redisFields,
} from "@mlb/shared";

/** The orchestrator backends the manager can scale the fleet through. */
export const ORCHESTRATORS = ["process", "docker", "ecs", "kubernetes"] as const;

/** A service's own settings: a JSON object of environment variables (values as strings, numbers or booleans). */
const childConfig = (service: string, example: string) =>
  envJson(
    `JSON object of ${service} settings handed to every ${service} the manager starts, e.g. ${example}; validated against the ${service}'s own schema at start.`,
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform((v) => (typeof v === "boolean" ? (v ? "1" : "0") : String(v)))),
  );

/** The manager's whole configuration; also the source of its README table and `--help`. */
export const managerConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  RPC_WEBSOCKET_ENDPOINT: envUrlList("CometBFT websocket endpoints for NewBlock, comma-separated, with failover.", ["ws", "wss"], "ws://127.0.0.1:26657/websocket"),
  ...marsContractFields,
  ...positionFields,
  ...metricsFields,
  METRICS_PORT: metricsPortField(9100),
  ORCHESTRATOR: envEnum("Where the manager starts the other services: process, docker, ecs or kubernetes.", ORCHESTRATORS, "process"),
  TIMEFRAME_BLOCKS: envInt("Blocks within which each block's work must be done.", 1, { min: 1, max: 100 }),
  COLLECTOR_CONFIG: childConfig("collector", '{"SCAN_PAGE_LIMIT":5000}'),
  HEALTH_CHECKER_CONFIG: childConfig("health checker", '{"HEALTH_SOURCE":"local"}'),
  EXECUTOR_CONFIG: childConfig("liquidator", '{"MAX_LIQUIDATORS":10,"MIN_PROFIT_VALUE":100000}'),
  WALLET_MNEMONIC: envSecret("The liquidator wallet's mnemonic, handed to the liquidators the manager starts (better as WALLET_MNEMONIC_FILE).", mnemonicProblem).optional(),
  COLLECTOR_IMAGE: envString("Image of the collector (docker, ecs, kubernetes).", "multichain-collector:latest"),
  HEALTH_CHECKER_IMAGE: envString("Image of the health checker.", "multichain-health-checker:latest"),
  EXECUTOR_IMAGE: envString("Image of the liquidator.", "multichain-liquidator:latest"),
  MIN_COLLECTOR_COUNT: envInt("Fewest collectors.", 1, { min: 0 }),
  MAX_COLLECTOR_COUNT: envInt("Most collectors.", 4, { min: 1 }),
  MIN_HEALTHCHECK_COUNT: envInt("Fewest health checkers.", 1, { min: 0 }),
  MAX_HEALTHCHECK_COUNT: envInt("Most health checkers (more than POSITION_SHARDS would hold no shard).", 8, { min: 1 }),
  MIN_EXECUTOR_COUNT: envInt("Fewest liquidators.", 1, { min: 0 }),
  MAX_EXECUTOR_COUNT: envInt("Most liquidators (each leases its own signers: keep MAX_LIQUIDATORS ≥ count × SIGNERS_PER_INSTANCE).", 4, { min: 1 }),
  HEADROOM: envDecimal("Instances are sized for the measured need × this.", "1.5"),
  SCALE_DOWN_AFTER_BLOCKS: envInt("Blocks of continuous slack before a service is scaled down.", 20, { min: 1 }),
  RESCAN_BLOCKS: envInt("Blocks between full rescans of the contracts' state (reconciliation; 0 scans only at start).", 600, { min: 0 }),
  WATCHDOG_WARN_MS: envInt("No block for this long: a warning.", 10_000, { min: 100 }),
  WATCHDOG_EXIT_MS: envInt("No block for this long: the manager exits (its supervisor restarts it).", 60_000, { min: 1_000 }),
  SCALE_TO_ZERO_ON_EXIT: envBool("1 stops every instance the manager runs when it stops (SIGTERM); 0 leaves them for the next manager to adopt.", true),
  PROCESS_ROOT: envOptional("process orchestrator: the repository root holding <service>/dist/main.js (default: this install's)."),
  ECS_CLUSTER: envOptional("ecs orchestrator: the cluster whose services (mlb-<namespace>-<chain>-<product>-<service>) are scaled."),
  AWS_REGION: envOptional("ecs orchestrator: the AWS region."),
  ECS_ENDPOINT: envOptional("ecs orchestrator: a custom ECS endpoint URL (VPC endpoint, tests)."),
  ECS_SECRETS: envJson(
    'ecs orchestrator: env names taken from Secrets Manager/SSM instead of plain task-definition values, e.g. {"WALLET_MNEMONIC":"arn:aws:secretsmanager:...:secret:mlb/mnemonic"}.',
    z.record(z.string(), z.string()),
  ),
  KUBE_SECRETS: envJson(
    'kubernetes orchestrator: env names taken from Kubernetes Secrets, e.g. {"WALLET_MNEMONIC":{"secret":"mlb-wallet","key":"mnemonic"}}.',
    z.record(z.string(), z.object({ secret: z.string(), key: z.string() })),
  ),
  KUBE_NAMESPACE: envString("kubernetes orchestrator: the namespace of the worker Deployments.", "default"),
  KUBECONFIG_PATH: envOptional("kubernetes orchestrator: a kubeconfig file; when absent, in-cluster service-account credentials inside a pod, else the default kubeconfig."),
});

export type ManagerConfig = z.output<typeof managerConfigSchema>;
