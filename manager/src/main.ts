import { createServiceDeps, loadConfigOrExit, runService } from "@mlb/shared";
import { buildManager } from "./app.js";
import { managerConfigSchema } from "./config.js";

const config = loadConfigOrExit("manager", managerConfigSchema);
const deps = createServiceDeps("manager", config);
await runService(buildManager(config, deps), deps.logger);
