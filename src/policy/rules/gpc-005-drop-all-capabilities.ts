import { checkContainers, justifiableInSystemNamespace } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, cis, kubeLinter, pss } from "../sources.js";

/** The one capability Pod Security `restricted` lets a container add back. */
const ALLOWED_ADD = new Set(["NET_BIND_SERVICE"]);

export const dropAllCapabilities: ResourceRule = {
  id: "GPC-005",
  name: "drop-all-capabilities",
  scope: "resource",
  level: "error",
  justification: "added-capabilities",
  description: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE.",
  why: "The runtime's default set includes NET_RAW and others a GPU workload never needs; dropping all removes that attack surface.",
  fix:
    'Set security_context.capabilities.drop = ["ALL"]; remove added capabilities other than NET_BIND_SERVICE. A node agent in a GPU ' +
    "system namespace that needs one (SYS_ADMIN for MIG or DCGM profiling) says why in the annotation justification.gpu-campus.io/added-capabilities.",
  sources: [
    pss("restricted", "Capabilities"),
    cis("5.2.10", "Minimize the admission of containers with capabilities assigned"),
    checkov("CKV_K8S_37", "Minimize the admission of containers with capabilities assigned"),
    kubeLinter("drop-net-raw-capability"),
  ],
  evaluate: (resource, context) => justifiableInSystemNamespace(checkCapabilities(resource), resource, context),
};

function checkCapabilities(resource: Parameters<typeof checkContainers>[0]) {
  return checkContainers(resource, (container) => {
    const problems: string[] = [];
    if (!container.capabilitiesDrop.includes("ALL")) {
      problems.push(
        container.capabilitiesDrop.length === 0
          ? "drops no capabilities"
          : `drops ${container.capabilitiesDrop.join(", ")} but not ALL`,
      );
    }
    const added = container.capabilitiesAdd.filter((c) => !ALLOWED_ADD.has(c));
    if (added.length > 0) problems.push(`adds ${added.join(", ")}`);
    return problems.length > 0 ? problems.join(" and ") : undefined;
  });
}
