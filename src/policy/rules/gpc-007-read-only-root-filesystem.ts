import { checkContainers } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, cis, kubeLinter } from "../sources.js";

export const readOnlyRootFilesystem: ResourceRule = {
  id: "GPC-007",
  name: "read-only-root-filesystem",
  scope: "resource",
  level: "error",
  justification: "writable-root-filesystem",
  description: "Every container mounts its root filesystem read-only (readOnlyRootFilesystem: true).",
  why: "A writable image lets an intruder drop tools and persist; scratch space belongs in an emptyDir.",
  fix:
    "Set security_context.read_only_root_filesystem = true and mount an emptyDir where the process writes; when that is " +
    "not possible, say why in the annotation justification.gpu-campus.io/writable-root-filesystem.",
  sources: [
    cis("5.7.3", "Apply Security Context to Your Pods and Containers"),
    checkov("CKV_K8S_22", "Use read-only filesystem for containers where possible"),
    kubeLinter("no-read-only-root-fs"),
  ],
  evaluate: (resource) =>
    checkContainers(resource, (container) =>
      container.readOnlyRootFilesystem === true ? undefined : "does not set readOnlyRootFilesystem: true",
    ),
};
