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

/** Quota keys for the GPU extended resource; only `requests.` is valid for extended resources. */
const QUOTA_KEYS = [`requests.${GPU_RESOURCE}`, GPU_RESOURCE];

interface GpuQuota {
  readonly resource: SynthesizedResource;
  readonly gpus: number;
}

function resourceQuotaGpus(resource: SynthesizedResource): number | undefined {
  const hard = stringMap(specOf(resource)?.hard);
  for (const key of QUOTA_KEYS) {
    const value = parseQuantity(hard[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Nominal GPU quota of a Kueue ClusterQueue: spec.resourceGroups[].flavors[].resources[name=nvidia.com/gpu]. */
function clusterQueueGpus(resource: SynthesizedResource): number | undefined {
  let total: number | undefined;
  for (const group of blocks(specOf(resource)?.resourceGroups)) {
    for (const flavor of blocks(group.flavors)) {
      for (const entry of blocks(flavor.resources)) {
        if (str(entry.name) !== GPU_RESOURCE) continue;
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
): ResourceVerdict[] {
  const sum = quotas.reduce((total, q) => total + q.gpus, 0);
  const terms = quotas.map((q) => `${describeObject(q.resource)} ${q.gpus}`).join(" + ");
  return quotas.map((quota) => {
    const reasons: string[] = [];
    if (quota.gpus > gpus) {
      reasons.push(
        `${describeObject(quota.resource)} allows ${quota.gpus} GPUs, more than cluster ${clusterId}'s ${gpus} by ${quota.gpus - gpus}`,
      );
    } else if (sum > gpus && !overcommit) {
      reasons.push(
        `${what} add up to ${terms} = ${sum} GPUs, more than cluster ${clusterId}'s ${gpus} by ${sum - gpus} (overcommit is not allowed)`,
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
  description: `GPU quotas (ResourceQuota requests.${GPU_RESOURCE}, Kueue ClusterQueue nominal quotas) fit the cluster's GPUs.`,
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
    const quotas: GpuQuota[] = [];
    const queues: GpuQuota[] = [];
    for (const resource of resources) {
      const kind = kindOf(resource);
      const gpus =
        kind === "ResourceQuota"
          ? resourceQuotaGpus(resource)
          : kind === "ClusterQueue"
            ? clusterQueueGpus(resource)
            : undefined;
      if (gpus === undefined) continue;
      (kind === "ResourceQuota" ? quotas : queues).push({ resource, gpus });
    }
    // With ClusterQueues, Kueue's nominal quotas are the promise and each ResourceQuota is only a
    // ceiling that includes what its tenant may borrow: those may add up past the GPUs, each may not.
    const quotasOvercommit = context.allowQuotaOvercommit || queues.length > 0;
    return [
      ...checkGroup(quotas, cluster.gpus, cluster.id, quotasOvercommit, "tenant ResourceQuotas"),
      ...checkGroup(queues, cluster.gpus, cluster.id, context.allowQuotaOvercommit, "ClusterQueue nominal quotas"),
    ];
  },
};
