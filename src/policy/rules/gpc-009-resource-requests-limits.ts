import { checkContainers } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, kubeLinter } from "../sources.js";

export const resourceRequestsLimits: ResourceRule = {
  id: "GPC-009",
  name: "resource-requests-limits",
  scope: "resource",
  level: "error",
  description: "Every container sets cpu and memory requests and limits.",
  why: "A daemon without limits can starve the kubelet on a GPU node; without requests the scheduler cannot place it.",
  fix: "Set resources.requests and resources.limits for cpu and memory on every container and init container.",
  sources: [
    checkov("CKV_K8S_10..13", "CPU and memory requests and limits should be set"),
    kubeLinter("unset-cpu-requirements"),
    kubeLinter("unset-memory-requirements"),
  ],
  evaluate: (resource) =>
    checkContainers(resource, (container) => {
      const missing = [
        ...["cpu", "memory"].filter((r) => container.requests[r] === undefined).map((r) => `requests.${r}`),
        ...["cpu", "memory"].filter((r) => container.limits[r] === undefined).map((r) => `limits.${r}`),
      ];
      return missing.length > 0 ? `sets no ${missing.join(", ")}` : undefined;
    }),
};
