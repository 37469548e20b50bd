import { objectsIn, tenantNamespaces } from "../namespaces.js";
import { type StackRule, verdict } from "../policy-rule.js";
import { kubernetesDocs, NSA_CISA_RESOURCE_POLICIES } from "../sources.js";

export const tenantResourceQuota: StackRule = {
  id: "GPC-017",
  name: "tenant-resource-quota",
  scope: "stack",
  level: "error",
  description: "Every tenant namespace has a ResourceQuota.",
  why: "GPUs are the scarce resource: without a quota one tenant's job array takes the whole cluster.",
  fix: "Add a ResourceQuota in the namespace with requests.nvidia.com/gpu (and storage) from the tenant's quota.",
  sources: [
    kubernetesDocs("Resource Quotas, quota for extended resources", "concepts/policy/resource-quotas/"),
    NSA_CISA_RESOURCE_POLICIES,
  ],
  evaluate(resources, context) {
    return tenantNamespaces(resources, context.tenantNamespaces).map(({ resource, name }) => ({
      resource,
      result: verdict(
        objectsIn(resources, "ResourceQuota", name).length > 0
          ? []
          : [`tenant namespace "${name}" has no ResourceQuota`],
      ),
    }));
  },
};
