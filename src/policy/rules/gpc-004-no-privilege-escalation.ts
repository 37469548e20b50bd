import { checkContainers } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, cis, kubeLinter, pss } from "../sources.js";

export const noPrivilegeEscalation: ResourceRule = {
  id: "GPC-004",
  name: "no-privilege-escalation",
  scope: "resource",
  level: "error",
  description: "Every container sets allowPrivilegeEscalation: false.",
  why: "Unset, it defaults to true: a setuid binary in the image can gain more privileges than the container started with.",
  fix: "Set security_context.allow_privilege_escalation = false on every container and init container.",
  sources: [
    pss("restricted", "Privilege Escalation"),
    cis("5.2.6", "Minimize the admission of containers with allowPrivilegeEscalation"),
    checkov("CKV_K8S_20", "Containers should not run with allowPrivilegeEscalation"),
    kubeLinter("privilege-escalation-container"),
  ],
  // A privileged container always escalates, and the API server refuses allowPrivilegeEscalation:
  // false beside privileged: true (PodSpec validation); GPC-003 judges those containers.
  evaluate: (resource) =>
    checkContainers(resource, (container) =>
      container.allowPrivilegeEscalation === false || container.privileged === true
        ? undefined
        : container.allowPrivilegeEscalation === true
          ? "sets allowPrivilegeEscalation: true"
          : "does not set allowPrivilegeEscalation: false (it defaults to true)",
    ),
};
