import { checkContainers, effective } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, cis, kubeLinter, pss } from "../sources.js";

export const runAsNonRoot: ResourceRule = {
  id: "GPC-006",
  name: "run-as-non-root",
  scope: "resource",
  level: "error",
  justification: "run-as-root",
  description: "Every container runs as non-root: runAsNonRoot: true (pod or container) and no runAsUser 0.",
  why: "Root in a container is root on the node's files it can reach; a kernel bug away from the host.",
  fix:
    "Set security_context.run_as_non_root = true and a non-zero run_as_user on the pod or container; a daemon that " +
    "must be root (it writes a root-owned host directory) says why in the annotation justification.gpu-campus.io/run-as-root.",
  sources: [
    pss("restricted", "Running as Non-root, Running as Non-root user"),
    cis("5.2.7", "Minimize the admission of root containers"),
    checkov("CKV_K8S_23", "Minimize the admission of root containers"),
    kubeLinter("run-as-non-root"),
  ],
  evaluate: (resource) =>
    checkContainers(resource, (container, pod) => {
      if (effective(pod, container, "runAsUser") === 0) return "sets runAsUser: 0 (root)";
      if (effective(pod, container, "runAsNonRoot") !== true) return "does not set runAsNonRoot: true";
      return undefined;
    }),
};
