import { objectsIn, tenantNamespaces } from "../namespaces.js";
import { type StackRule, verdict } from "../policy-rule.js";
import { kubernetesDocs } from "../sources.js";

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
    {
      title: "NSA/CISA Kubernetes Hardening Guide: resource policies",
      url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
    },
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
