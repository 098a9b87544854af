import { ConfigError, EXIT_BAD_CONFIG, createServiceDeps, loadConfigOrExit, runService } from "@mlb/shared";
import { buildManager } from "./app.js";
import { managerConfigSchema } from "./config.js";

const config = loadConfigOrExit("manager", managerConfigSchema);
const deps = createServiceDeps("manager", config);
let app: ReturnType<typeof buildManager>;
try {
  app = buildManager(config, deps);
} catch (err) {
  // A child's configuration (COLLECTOR_CONFIG, HEALTH_CHECKER_CONFIG, EXECUTOR_CONFIG) is bad: nothing was started.
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(EXIT_BAD_CONFIG);
}
await runService(app.shell, deps.logger);
