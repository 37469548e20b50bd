import type { ClusterPlan, TenantPlan } from "../plan/plan-types.js";
import { GPU_RESOURCE, GPU_TAINT, LABEL } from "../vocabulary/labels.js";
import { KUEUE_KEY, PRIORITY_CLASS } from "../vocabulary/names.js";

/**
 * The workload mix the twin submits, derived from the cluster plan so it scales from staging to a
 * production cluster: what tenants of a GB200 campus run, and what each job must show.
 *
 * - fill: per tenant, jobs up to its quota, largest first (topology-aware placement packs best
 *   when whole scalable units go before racks, racks before single trays): a tenant whose quota
 *   holds a scalable unit runs training (576-GPU jobs requiring one scalable unit, then 72-GPU
 *   jobs requiring one NVLink domain); what is left, and every smaller tenant, runs 8-GPU
 *   inference jobs that prefer one NVLink domain.
 * - borrow: a tenant allowed to borrow asks for 72-GPU jobs beyond its quota: as many are
 *   admitted as the cohort's free GPUs and its borrowing limit allow, one more waits.
 * - over-quota: a tenant that may not borrow asks for one more 8-GPU job: it waits.
 * - preempt: an 8-GPU job at the inference priority in a tenant that preempts within its queue
 *   and may not borrow (one that may would be admitted on borrowed GPUs instead, Kueue's default
 *   flavor fungibility): admitted by evicting one of the tenant's lower-priority jobs.
 */
export type TwinPhase = "fill" | "borrow" | "over-quota" | "preempt";
export type JobShape = "scalable-unit" | "nvlink-domain" | "inference";

export interface TwinJob {
  readonly name: string;
  readonly tenant: TenantPlan;
  readonly phase: TwinPhase;
  readonly shape: JobShape;
  readonly pods: number;
  readonly gpusPerPod: number;
  /** Node label every pod of the job must share (podset-required-topology). */
  readonly required: string | undefined;
  readonly preferred: string | undefined;
  readonly priorityClass: string;
  /** What Kueue must do with it once its phase settles. */
  readonly expect: "admitted" | "waiting";
}

export interface TwinMix {
  readonly jobs: readonly TwinJob[];
  /** The job whose admission must evict one of its tenant's fill jobs; undefined when no tenant preempts. */
  readonly preemptor: TwinJob | undefined;
}

interface Shape {
  readonly shape: JobShape;
  readonly gpus: number;
  readonly required: string | undefined;
  readonly preferred: string | undefined;
}

export function twinMix(cluster: ClusterPlan): TwinMix {
  const pool = cluster.buildings[0]?.pools[0]?.pool;
  if (!pool) throw new Error(`cluster ${cluster.id} has no pool`);
  const { sku } = pool;
  const gpusPerPod = sku.gpusPerNode;
  const shapes: Record<JobShape, Shape> = {
    "scalable-unit": {
      shape: "scalable-unit",
      gpus: sku.racksPerScalableUnit * sku.gpusPerRack,
      required: LABEL.scalableUnit,
      preferred: undefined,
    },
    "nvlink-domain": {
      shape: "nvlink-domain",
      gpus: sku.nvlinkDomainGpus,
      required: LABEL.nvlinkDomain,
      preferred: undefined,
    },
    inference: { shape: "inference", gpus: 2 * gpusPerPod, required: undefined, preferred: LABEL.nvlinkDomain },
  };
  const jobs: TwinJob[] = [];
  const count = new Map<string, number>();
  const add = (
    tenant: TenantPlan,
    phase: TwinPhase,
    shape: Shape,
    expect: TwinJob["expect"],
    priorityClass: string,
  ) => {
    const n = (count.get(tenant.id) ?? 0) + 1;
    count.set(tenant.id, n);
    const job: TwinJob = {
      name: `${phase}-${shape.shape}-${String(n).padStart(4, "0")}`,
      tenant,
      phase,
      shape: shape.shape,
      pods: shape.gpus / gpusPerPod,
      gpusPerPod,
      required: shape.required,
      preferred: shape.preferred,
      priorityClass,
      expect,
    };
    jobs.push(job);
    return job;
  };

  const used = new Map<string, number>();
  // fill, largest shape first across all tenants
  const order: JobShape[] = ["scalable-unit", "nvlink-domain", "inference"];
  for (const shapeName of order) {
    const shape = shapes[shapeName];
    for (const tenant of cluster.tenants) {
      const training = tenant.gpuQuota >= shapes["scalable-unit"].gpus;
      if (!training && shapeName !== "inference") continue;
      let left = tenant.gpuQuota - (used.get(tenant.id) ?? 0);
      while (left >= shape.gpus) {
        add(tenant, "fill", shape, "admitted", PRIORITY_CLASS.training);
        left -= shape.gpus;
      }
      used.set(tenant.id, tenant.gpuQuota - left);
    }
  }
  const filled = [...used.values()].reduce((a, b) => a + b, 0);
  let cohortFree = cluster.gpus - filled;

  const rack = shapes["nvlink-domain"];
  for (const tenant of cluster.tenants) {
    const limit = tenant.queue.borrowingLimitGpus;
    if (limit === 0) continue;
    const borrowable = Math.min(limit ?? Number.POSITIVE_INFINITY, cohortFree);
    const admitted = Math.floor(borrowable / rack.gpus);
    for (let i = 0; i < admitted; i++) add(tenant, "borrow", rack, "admitted", PRIORITY_CLASS.training);
    add(tenant, "borrow", rack, "waiting", PRIORITY_CLASS.training);
    cohortFree -= admitted * rack.gpus;
  }
  const small = shapes.inference;
  for (const tenant of cluster.tenants) {
    if (tenant.queue.borrowingLimitGpus === 0) add(tenant, "over-quota", small, "waiting", PRIORITY_CLASS.training);
  }
  const victimTenant = cluster.tenants.find(
    (t) =>
      t.queue.preemption.withinClusterQueue !== "Never" &&
      t.queue.borrowingLimitGpus === 0 &&
      jobs.some((j) => j.tenant.id === t.id && j.phase === "fill" && j.shape === "inference"),
  );
  const preemptor = victimTenant
    ? add(victimTenant, "preempt", small, "admitted", PRIORITY_CLASS.inference)
    : undefined;
  return { jobs, preemptor };
}

/**
 * The Job a tenant submits: Indexed, one pod per tray with the tray's GPUs, the queue and
 * priority labels Kueue reads, the topology annotation on the pod template, and a pod spec that
 * passes Pod Security `restricted` (tenant namespaces enforce it).
 */
export function jobManifest(job: TwinJob, cpuPerPod: number, memoryGiBPerPod: number): Record<string, unknown> {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: job.name,
      namespace: job.tenant.namespace,
      labels: { [KUEUE_KEY.queueName]: job.tenant.queue.localQueue, [KUEUE_KEY.priorityClass]: job.priorityClass },
    },
    spec: {
      completions: job.pods,
      parallelism: job.pods,
      completionMode: "Indexed",
      backoffLimit: 0,
      template: {
        metadata: {
          annotations: {
            ...(job.required && { [KUEUE_KEY.podsetRequiredTopology]: job.required }),
            ...(job.preferred && { [KUEUE_KEY.podsetPreferredTopology]: job.preferred }),
          },
        },
        spec: {
          restartPolicy: "Never",
          priorityClassName: job.priorityClass,
          tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }],
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "worker",
              // kwok never pulls or runs it: the twin only schedules.
              image: "registry.invalid/twin/worker:1",
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              resources: {
                requests: {
                  [GPU_RESOURCE]: String(job.gpusPerPod),
                  cpu: String(cpuPerPod),
                  memory: `${memoryGiBPerPod}Gi`,
                },
                limits: {
                  [GPU_RESOURCE]: String(job.gpusPerPod),
                  cpu: String(cpuPerPod),
                  memory: `${memoryGiBPerPod}Gi`,
                },
              },
            },
          ],
        },
      },
    },
  };
}
