import { z } from "zod";
import { endpointFields, loggingFields, metricsFields, metricsPortField, pipelineFields, redisFields } from "@mlb/shared";

/** The collector's whole configuration; also the source of its README table and `--help`. */
export const collectorConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  ...metricsFields,
  METRICS_PORT: metricsPortField(9101),
});

export type CollectorConfig = z.output<typeof collectorConfigSchema>;
