export { healthCheckerConfigSchema } from "./config.js";
export type { HealthCheckerConfig } from "./config.js";
export { buildHealthChecker } from "./app.js";
