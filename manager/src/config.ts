import { z } from "zod";
import { endpointFields, envEnum, envInt, envUrlList, loggingFields, metricsFields, metricsPortField, pipelineFields, redisFields } from "@mlb/shared";

/** The orchestrator backends the manager can scale the fleet through. */
export const ORCHESTRATORS = ["process", "docker", "ecs", "kubernetes"] as const;

/** The manager's whole configuration; also the source of its README table and `--help`. */
export const managerConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  RPC_WEBSOCKET_ENDPOINT: envUrlList("CometBFT websocket endpoints for NewBlock, comma-separated, with failover.", ["ws", "wss"], "ws://127.0.0.1:26657/websocket"),
  ...metricsFields,
  METRICS_PORT: metricsPortField(9100),
  ORCHESTRATOR: envEnum("Where the manager starts the other services: process, docker, ecs or kubernetes.", ORCHESTRATORS, "process"),
  TIMEFRAME_BLOCKS: envInt("Blocks within which each block's work must be done.", 1, { min: 1, max: 100 }),
});

export type ManagerConfig = z.output<typeof managerConfigSchema>;
