import { ServiceShell, type ServiceDeps } from "@mlb/shared";
import type { ManagerConfig } from "./config.js";

/**
 * Builds the manager: watches every block, publishes its work and sizes the fleet.
 * The block loop and orchestrators arrive with the manager issue; today the shell serves health
 * and metrics and holds the Redis connection.
 */
export function buildManager(config: ManagerConfig, deps: ServiceDeps): ServiceShell {
  return new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components: [] });
}
