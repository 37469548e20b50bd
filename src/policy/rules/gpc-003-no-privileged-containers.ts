import { checkContainers, justifiableInSystemNamespace } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, cis, kubeLinter, pss } from "../sources.js";

export const noPrivilegedContainers: ResourceRule = {
  id: "GPC-003",
  name: "no-privileged-containers",
  scope: "resource",
  level: "error",
  justification: "privileged-container",
  description: "No container runs privileged (securityContext.privileged is unset or false).",
  why: "A privileged container has every device and capability of the node: one escape owns the GPU server.",
  fix:
    "Remove privileged: true; grant the one capability or device the container needs instead (the NVIDIA device plugin runs unprivileged). " +
    "A node agent in a GPU system namespace that cannot work otherwise says why in the annotation justification.gpu-campus.io/privileged-container.",
  sources: [
    pss("baseline", "Privileged Containers"),
    cis("5.2.2", "Minimize the admission of privileged containers"),
    checkov("CKV_K8S_16", "Container should not be privileged"),
    kubeLinter("privileged-container"),
  ],
  evaluate: (resource, context) =>
    justifiableInSystemNamespace(
      checkContainers(resource, (container) => (container.privileged === true ? "sets privileged: true" : undefined)),
      resource,
      context,
    ),
};
