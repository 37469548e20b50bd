import { objectsIn, tenantNamespaces } from "../namespaces.js";
import { type StackRule, verdict } from "../policy-rule.js";
import { kubernetesDocs, NSA_CISA_RESOURCE_POLICIES } from "../sources.js";

export const tenantLimitRange: StackRule = {
  id: "GPC-018",
  name: "tenant-limit-range",
  scope: "stack",
  level: "error",
  description: "Every tenant namespace has a LimitRange.",
  why: "With a quota on cpu and memory, a pod without requests is rejected; a LimitRange gives it defaults and caps outliers.",
  fix: "Add a LimitRange in the namespace with default requests and limits for containers.",
  sources: [kubernetesDocs("Limit Ranges", "concepts/policy/limit-range/"), NSA_CISA_RESOURCE_POLICIES],
  evaluate(resources, context) {
    return tenantNamespaces(resources, context.tenantNamespaces).map(({ resource, name }) => ({
      resource,
      result: verdict(
        objectsIn(resources, "LimitRange", name).length > 0 ? [] : [`tenant namespace "${name}" has no LimitRange`],
      ),
    }));
  },
};
