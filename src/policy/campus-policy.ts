import type { LoadedEnvironment } from "../model/load-environment.js";
import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import { PolicyPack } from "./policy-pack.js";
import type { DeclaredSuppression } from "./suppression.js";

/** The environment file's suppressions, each with the file:line it was declared at. */
export function environmentSuppressions(loaded: LoadedEnvironment): DeclaredSuppression[] {
  return loaded.spec.policy.suppressions.map((suppression, index) => ({
    ...suppression,
    origin: `${loaded.file}:${loaded.sourceMap.locate(["policy", "suppressions", index]).line}`,
  }));
}

/** The pack for one cluster stack: its tenants, its GPUs, the plan and the environment's suppressions. */
export function campusPolicyPack(loaded: LoadedEnvironment, plan: CampusPlan, cluster: ClusterPlan): PolicyPack {
  return new PolicyPack({
    plan,
    cluster,
    allowQuotaOvercommit: plan.allowQuotaOvercommit,
    suppressions: environmentSuppressions(loaded),
  });
}
