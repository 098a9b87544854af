import { createServiceDeps, loadConfigOrExit, runService } from "@mlb/shared";
import { buildHealthChecker } from "./app.js";
import { healthCheckerConfigSchema } from "./config.js";

const config = loadConfigOrExit("health-checker", healthCheckerConfigSchema);
const deps = createServiceDeps("health-checker", config);
await runService(buildHealthChecker(config, deps).shell, deps.logger);
