import type { ExecuteContext, QueryContext } from "../host.js";

/** A query context plus the deployment variant the credit manager models (spec §0). */
export interface CmQueryEnv extends QueryContext {
  neutron: boolean;
}

/** An execute context plus the deployment variant. */
export interface CmEnv extends ExecuteContext {
  neutron: boolean;
}
