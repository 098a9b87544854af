import { z } from "zod";
import {
  endpointFields,
  envDecimal,
  envEnum,
  envInt,
  loggingFields,
  marsContractFields,
  metricsFields,
  metricsPortField,
  pipelineFields,
  positionFields,
  redisFields,
} from "@mlb/shared";

/** The health checker's whole configuration; also the source of its README table and `--help`. */
export const healthCheckerConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  ...marsContractFields,
  ...positionFields,
  ...metricsFields,
  METRICS_PORT: metricsPortField(9102),
  HEALTH_THRESHOLD: envDecimal("Positions whose health factor is below this value are flagged as liquidatable.", "1"),
  HEALTH_SOURCE: envEnum("local computes health with the contracts' exact math; query asks the contracts (baseline and fallback).", ["local", "query"], "local"),
  QUERY_TRANSPORT: envEnum("How query mode reaches the contracts: hive (GraphQL aliases and HTTP batches) or rpc (one smart query each).", ["hive", "rpc"], "hive"),
  QUERY_BATCH: envInt("Query mode: queries per GraphQL operation (hive), or in flight at once (rpc).", 50, { min: 1, max: 1000 }),
  MIN_DEBT_VALUE: envInt("Flagged positions whose debt is worth less than this (oracle base units, uusd: 1000000 = $1) are dust and skipped.", 100_000, { min: 0 }),
  CANDIDATE_REPEAT_BLOCKS: envInt("Blocks before a position still liquidatable is queued for the liquidator again.", 3, { min: 1 }),
  MEMBER_TTL_MS: envInt("A health checker silent this long is dead and its shards move to the others.", 5_000, { min: 300 }),
});

export type HealthCheckerConfig = z.output<typeof healthCheckerConfigSchema>;
