import type { Logger } from "pino";
import { ConfigError } from "@mlb/shared";
import type { ManagerConfig } from "../config.js";
import { DockerOrchestrator } from "./docker.js";
import { EcsOrchestrator } from "./ecs.js";
import { KubernetesOrchestrator } from "./kubernetes.js";
import type { Orchestrator } from "./orchestrator.js";
import { ProcessOrchestrator } from "./process.js";

/** The backend `ORCHESTRATOR` names, configured from the manager's settings. */
export function createOrchestrator(config: ManagerConfig, logger: Logger, installRoot: string): Orchestrator {
  switch (config.ORCHESTRATOR) {
    case "process":
      return new ProcessOrchestrator({ root: config.PROCESS_ROOT ?? installRoot, logger });
    case "docker":
      return new DockerOrchestrator({ logger });
    case "ecs":
      if (config.ECS_CLUSTER === undefined || config.AWS_REGION === undefined) {
        const missing = (["ECS_CLUSTER", "AWS_REGION"] as const).filter((v) => config[v] === undefined);
        throw new ConfigError("manager", missing.map((variable) => ({ variable, message: "required when ORCHESTRATOR=ecs" })));
      }
      return new EcsOrchestrator({ cluster: config.ECS_CLUSTER, region: config.AWS_REGION, endpoint: config.ECS_ENDPOINT, secrets: config.ECS_SECRETS, logger });
    case "kubernetes":
      return new KubernetesOrchestrator({
        namespace: config.KUBE_NAMESPACE,
        kubeconfig: config.KUBECONFIG_PATH,
        inCluster: config.KUBECONFIG_PATH === undefined && process.env.KUBERNETES_SERVICE_HOST !== undefined,
        secrets: config.KUBE_SECRETS,
        logger,
      });
  }
}
