import { z } from "zod";
import { endpointFields, envDecimal, envEnum, loggingFields, metricsFields, metricsPortField, pipelineFields, redisFields } from "@mlb/shared";

/** The health checker's whole configuration; also the source of its README table and `--help`. */
export const healthCheckerConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  ...metricsFields,
  METRICS_PORT: metricsPortField(9102),
  HEALTH_THRESHOLD: envDecimal("Positions whose health factor is below this value are flagged as liquidatable.", "1"),
  HEALTH_SOURCE: envEnum("local computes health with the contracts' exact math; query asks the contracts (baseline and fallback).", ["local", "query"], "local"),
});

export type HealthCheckerConfig = z.output<typeof healthCheckerConfigSchema>;
