import { ServiceShell, type ServiceDeps } from "@mlb/shared";
import type { HealthCheckerConfig } from "./config.js";

/**
 * Builds the health checker: evaluates positions each block and flags liquidatable ones.
 * The evaluation stages arrive with the health-checker issue; today the shell serves health and
 * metrics and holds the Redis connection.
 */
export function buildHealthChecker(config: HealthCheckerConfig, deps: ServiceDeps): ServiceShell {
  return new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components: [] });
}
