import {
  blocks,
  describeObject,
  field,
  kindOf,
  specOf,
  str,
  stringMap,
} from "../../terraform-json/kubernetes-object.js";
import { GPU_RESOURCE } from "../../vocabulary/labels.js";
import { parseQuantity } from "../../vocabulary/quantity.js";
import { type ResourceVerdict, type StackRule, type SynthesizedResource, verdict } from "../policy-rule.js";
import { kubernetesDocs } from "../sources.js";

/** Quota keys for a GPU extended resource; only `requests.` is valid for extended resources. */
const quotaKeys = (resourceName: string) => [`requests.${resourceName}`, resourceName];

interface GpuQuota {
  readonly resource: SynthesizedResource;
  readonly gpus: number;
}

function resourceQuotaGpus(resource: SynthesizedResource, resourceName: string): number | undefined {
  const hard = stringMap(specOf(resource)?.hard);
  for (const key of quotaKeys(resourceName)) {
    const value = parseQuantity(hard[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Nominal GPU quota of a Kueue ClusterQueue: spec.resourceGroups[].flavors[].resources[name=nvidia.com/gpu]. */
function clusterQueueGpus(resource: SynthesizedResource, resourceName: string): number | undefined {
  let total: number | undefined;
  for (const group of blocks(specOf(resource)?.resourceGroups)) {
    for (const flavor of blocks(group.flavors)) {
      for (const entry of blocks(flavor.resources)) {
        if (str(entry.name) !== resourceName) continue;
        const raw = field(entry, "nominalQuota", "nominal_quota");
        const quota = parseQuantity(raw);
        if (quota !== undefined) total = (total ?? 0) + quota;
      }
    }
  }
  return total;
}

function checkGroup(
  quotas: readonly GpuQuota[],
  gpus: number,
  clusterId: string,
  overcommit: boolean,
  what: string,
  resourceName: string,
): ResourceVerdict[] {
  const sum = quotas.reduce((total, q) => total + q.gpus, 0);
  const terms = quotas.map((q) => `${describeObject(q.resource)} ${q.gpus}`).join(" + ");
  return quotas.map((quota) => {
    const reasons: string[] = [];
    if (quota.gpus > gpus) {
      reasons.push(
        `${describeObject(quota.resource)} allows ${quota.gpus} ${resourceName}, more than cluster ${clusterId}'s ${gpus} by ${quota.gpus - gpus}`,
      );
    } else if (sum > gpus && !overcommit) {
      reasons.push(
        `${what} add up to ${terms} = ${sum} ${resourceName}, more than cluster ${clusterId}'s ${gpus} by ${sum - gpus} (overcommit is not allowed)`,
      );
    }
    return { resource: quota.resource, result: verdict(reasons) };
  });
}

export const gpuQuotaWithinCapacity: StackRule = {
  id: "GPC-020",
  name: "gpu-quota-within-capacity",
  scope: "stack",
  level: "error",
  description: `GPU quotas (ResourceQuota requests.${GPU_RESOURCE} and requests.${GPU_RESOURCE}.shared, Kueue ClusterQueue nominal quotas) fit the units the cluster's nodes advertise (GPUs × sharing replicas).`,
  why: "A quota larger than the hardware promises GPUs that do not exist: jobs are admitted and then never schedule.",
  fix: "Lower the tenant's gpuQuota or gpuShare in the environment file, or set clusters.allowQuotaOvercommit when overcommit is intended.",
  sources: [
    kubernetesDocs(
      "Resource Quotas, quota for extended resources",
      "concepts/policy/resource-quotas/#resource-quota-for-extended-resources",
    ),
    {
      title: "Kueue: ClusterQueue, resource groups and nominal quota",
      url: "https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/",
    },
  ],
  evaluate(resources, context) {
    const cluster = context.cluster;
    if (!cluster) return [];
    // Units per resource name as the nodes advertise them: physical GPUs × sharing replicas
    // (NVIDIA/k8s-device-plugin README, "Shared Access to GPUs").
    const units: Record<string, number> = { [GPU_RESOURCE]: 0, ...cluster.gpuUnits };
    return Object.entries(units).flatMap(([resourceName, advertised]) => {
      const quotas: GpuQuota[] = [];
      const queues: GpuQuota[] = [];
      for (const resource of resources) {
        const kind = kindOf(resource);
        const gpus =
          kind === "ResourceQuota"
            ? resourceQuotaGpus(resource, resourceName)
            : kind === "ClusterQueue"
              ? clusterQueueGpus(resource, resourceName)
              : undefined;
        if (gpus === undefined) continue;
        (kind === "ResourceQuota" ? quotas : queues).push({ resource, gpus });
      }
      // With ClusterQueues, Kueue's nominal quotas are the promise and each ResourceQuota is only a
      // ceiling that includes what its tenant may borrow: those may add up past the GPUs, each may not.
      const overcommit = context.allowQuotaOvercommit;
      const quotasOvercommit = overcommit || queues.length > 0;
      return [
        ...checkGroup(quotas, advertised, cluster.id, quotasOvercommit, "tenant ResourceQuotas", resourceName),
        ...checkGroup(queues, advertised, cluster.id, overcommit, "ClusterQueue nominal quotas", resourceName),
      ];
    });
  },
};
