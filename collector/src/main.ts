import { createServiceDeps, loadConfigOrExit, runService } from "@mlb/shared";
import { buildCollector } from "./app.js";
import { collectorConfigSchema } from "./config.js";

const config = loadConfigOrExit("collector", collectorConfigSchema);
const deps = createServiceDeps("collector", config);
await runService(buildCollector(config, deps), deps.logger);
