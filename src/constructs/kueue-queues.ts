import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { FlavorQuotaPlan, ResourceFigures, TenantPlan } from "../plan/plan-types.js";
import { KUEUE_API_VERSION } from "../vocabulary/api-versions.js";
import { GPU_RESOURCE } from "../vocabulary/labels.js";
import { managedLabels, NAMES, NAMESPACE_NAME_LABEL } from "../vocabulary/names.js";
import { mebibytesQuantity, wholeQuantity } from "../vocabulary/quantity.js";
import { managedManifest } from "./managed-manifest.js";

/** A WorkloadPriorityClass: the same name and value as the PriorityClass it mirrors. */
export interface WorkloadPriority {
  readonly name: string;
  readonly value: number;
  readonly description: string;
}

export interface KueueQueuesProps {
  /** The cluster's tenants; each gets a ClusterQueue in the Cohort and a LocalQueue in its namespace. */
  readonly tenants: readonly TenantPlan[];
  /** GPUs no tenant holds, per flavor: the Cohort's own quota that tenants borrow. @default - none */
  readonly sharedQuota?: readonly FlavorQuotaPlan[];
  /** Mirrored as WorkloadPriorityClasses, so `kueue.x-k8s.io/priority-class` and `priorityClassName` agree. */
  readonly priorities: readonly WorkloadPriority[];
  /** The ResourceFlavors the queues name: created first. @default - no ordering */
  readonly flavors?: readonly Manifest[];
  /** Each tenant's namespace resource by tenant id: the LocalQueue is created after it. @default - no ordering */
  readonly namespaces?: Readonly<Record<string, ITerraformDependable>>;
  /** @default - "gpu-campus", without forcing conflicts */
  readonly fieldManager?: string;
}

const COMPONENT = "kueue-queues";
/** The resources every ClusterQueue covers: Kueue admits a workload only if each one it requests is covered. */
const COVERED_RESOURCES = [GPU_RESOURCE, "cpu", "memory"] as const;

/**
 * In the canonical form Kueue's webhooks write back (a Go resource.Quantity round trip turns
 * `0Gi` into `0` and `1024Gi` into `1Ti`): anything else makes the provider report an
 * inconsistent result after apply.
 */
function quantities(figures: ResourceFigures): Record<(typeof COVERED_RESOURCES)[number], string> {
  return {
    [GPU_RESOURCE]: wholeQuantity(figures.gpus),
    cpu: wholeQuantity(figures.cpus),
    memory: mebibytesQuantity(figures.memoryGiB * 1024),
  };
}

/**
 * How Kueue admits tenant work in one cluster (Kueue ≥ 0.15 for v1beta2): one Cohort, a
 * ClusterQueue per tenant in it (nominal quotas per ResourceFlavor from the plan, borrowing and
 * lending limits, fair-sharing weight, preemption), a LocalQueue in each tenant namespace, and
 * WorkloadPriorityClasses. Each ClusterQueue admits only its tenant's namespace.
 * Source: kubernetes-sigs/kueue site/content/en/docs/concepts/{cluster_queue,cohort,local_queue}.md (v0.17.0).
 */
export class KueueQueues extends Construct {
  readonly cohort: Manifest;
  readonly clusterQueues: readonly Manifest[];
  readonly localQueues: readonly Manifest[];
  readonly workloadPriorityClasses: readonly Manifest[];

  constructor(scope: Construct, id: string, props: KueueQueuesProps) {
    super(scope, id);
    const labels = managedLabels(COMPONENT);
    const options = { ...(props.fieldManager && { fieldManager: props.fieldManager }) };
    this.cohort = managedManifest(
      this,
      "cohort",
      {
        apiVersion: KUEUE_API_VERSION,
        kind: "Cohort",
        metadata: { name: NAMES.cohort, labels },
        // With nothing left over for the cohort, no spec at all: an empty one reaches the API
        // server as null through kubectl, which the CRD refuses ("spec in body must be of type object").
        ...(props.sharedQuota?.length ? { spec: { resourceGroups: [resourceGroup(props.sharedQuota)] } } : {}),
      },
      { ...options, dependsOn: [...(props.flavors ?? [])] },
    );
    this.workloadPriorityClasses = props.priorities.map((p) =>
      managedManifest(
        this,
        `priority-${p.name}`,
        {
          apiVersion: KUEUE_API_VERSION,
          kind: "WorkloadPriorityClass",
          metadata: { name: p.name, labels },
          value: p.value,
          description: p.description,
        },
        options,
      ),
    );
    this.clusterQueues = props.tenants.map((tenant) =>
      managedManifest(this, `cluster-queue-${tenant.id}`, this.clusterQueue(tenant, labels), {
        ...options,
        dependsOn: [this.cohort, ...(props.flavors ?? [])],
      }),
    );
    this.localQueues = props.tenants.map((tenant, i) => {
      const namespace = props.namespaces?.[tenant.id];
      const clusterQueue = this.clusterQueues[i];
      return managedManifest(
        this,
        `local-queue-${tenant.id}`,
        {
          apiVersion: KUEUE_API_VERSION,
          kind: "LocalQueue",
          metadata: { name: tenant.queue.localQueue, namespace: tenant.namespace, labels },
          spec: { clusterQueue: tenant.queue.clusterQueue },
        },
        { ...options, dependsOn: [...(clusterQueue ? [clusterQueue] : []), ...(namespace ? [namespace] : [])] },
      );
    });
    this.node.addValidation({ validate: () => queueProblems(props.tenants) });
  }

  private clusterQueue(tenant: TenantPlan, labels: Record<string, string>): Record<string, unknown> {
    const { queue } = tenant;
    return {
      apiVersion: KUEUE_API_VERSION,
      kind: "ClusterQueue",
      metadata: { name: queue.clusterQueue, labels },
      spec: {
        cohortName: queue.cohort,
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: tenant.namespace } },
        queueingStrategy: "BestEffortFIFO",
        ...(queue.fairSharingWeight !== undefined && { fairSharing: { weight: String(queue.fairSharingWeight) } }),
        preemption: {
          withinClusterQueue: queue.preemption.withinClusterQueue,
          reclaimWithinCohort: queue.preemption.reclaimWithinCohort,
          borrowWithinCohort: { policy: queue.preemption.borrowWithinCohort },
        },
        resourceGroups: [resourceGroup(queue.flavors)],
      },
    };
  }
}

/** One resource group over COVERED_RESOURCES: per flavor the nominal quota and any limits. */
function resourceGroup(flavors: readonly FlavorQuotaPlan[]): Record<string, unknown> {
  return {
    coveredResources: [...COVERED_RESOURCES],
    flavors: flavors.map((flavor) => {
      const nominal = quantities(flavor);
      const borrowing = flavor.borrowingLimit && quantities(flavor.borrowingLimit);
      const lending = flavor.lendingLimit && quantities(flavor.lendingLimit);
      return {
        name: flavor.flavor,
        resources: COVERED_RESOURCES.map((name) => ({
          name,
          nominalQuota: nominal[name],
          ...(borrowing && { borrowingLimit: borrowing[name] }),
          ...(lending && { lendingLimit: lending[name] }),
        })),
      };
    }),
  };
}

/** Kueue rejects a lending limit above the nominal quota and more than 64 flavors in a resource group (v0.17 ClusterQueue CRD, maxItems). */
const MAX_FLAVORS_PER_GROUP = 64;

function queueProblems(tenants: readonly TenantPlan[]): string[] {
  const problems: string[] = [];
  for (const tenant of tenants) {
    const { flavors } = tenant.queue;
    if (flavors.length === 0)
      problems.push(`ClusterQueue ${tenant.queue.clusterQueue}: no ResourceFlavor to give quota on`);
    if (flavors.length > MAX_FLAVORS_PER_GROUP) {
      problems.push(
        `ClusterQueue ${tenant.queue.clusterQueue}: ${flavors.length} flavors, more than Kueue's ${MAX_FLAVORS_PER_GROUP} by ${flavors.length - MAX_FLAVORS_PER_GROUP}`,
      );
    }
    for (const flavor of flavors) {
      if (flavor.lendingLimit && flavor.lendingLimit.gpus > flavor.gpus) {
        problems.push(
          `ClusterQueue ${tenant.queue.clusterQueue} flavor ${flavor.flavor}: lending limit ${flavor.lendingLimit.gpus} GPUs exceeds its nominal quota ${flavor.gpus} by ${flavor.lendingLimit.gpus - flavor.gpus}`,
        );
      }
    }
  }
  return problems;
}
