import { z } from "zod";
import { KUBERNETES_LIMITS } from "../catalog/kubernetes-limits.js";
import { MIN_REASON_LENGTH } from "../vocabulary/suppression-reason.js";

/**
 * The one schema for environment files: what a campus *is*. Shape and ranges live here; rules
 * that need the catalog or several fields at once (power, radix, node limits) live in
 * semantic-checks.ts so their messages can name the limit and by how much it was broken.
 */

/** Ids end up in node names, label values and stack names: short DNS labels. */
const Id = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,23}$/, "must be a lowercase DNS label: a-z first, then a-z 0-9 -, at most 24 characters");

const PositiveInt = z.int().positive();

const DevicePluginSharing = z.strictObject({
  /** time-slicing or MPS: each physical GPU is advertised `replicas` times. */
  strategy: z.enum(["timeSlicing", "mps"]),
  replicas: z.int().min(2).max(48),
  /** Advertise the shared GPUs as `nvidia.com/gpu.shared` instead of `nvidia.com/gpu`. */
  renameByDefault: z.boolean().default(false),
});

const DevicePlugin = z.strictObject({
  /** NVIDIA device plugin `flags.migStrategy`. Blackwell MIG is off in training pools. */
  migStrategy: z.enum(["none", "single", "mixed"]).default("none"),
  /** `flags.plugin.deviceListStrategy`. */
  deviceListStrategy: z.enum(["envvar", "volume-mounts", "cdi-annotations", "cdi-cri"]).default("envvar"),
  sharing: DevicePluginSharing.optional(),
});

const Pool = z
  .strictObject({
    id: Id,
    /** A catalog SKU id (src/catalog/gpu-skus.ts). */
    sku: z.string(),
    /** Size of the pool. Give exactly one of racks, nodes or gpus; nodes and gpus must be whole racks. */
    racks: PositiveInt.optional(),
    nodes: PositiveInt.optional(),
    gpus: PositiveInt.optional(),
    devicePlugin: DevicePlugin.default({ migStrategy: "none", deviceListStrategy: "envvar" }),
  })
  .refine((pool) => [pool.racks, pool.nodes, pool.gpus].filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of racks, nodes or gpus",
  });

const Building = z.strictObject({
  id: Id,
  /** Construction phase, for reports (Abilene: phase 1 = 2 buildings, phase 2 = 6). */
  phase: PositiveInt.default(1),
  /** Critical IT power the building's electrical plant delivers, MW. */
  itPowerMW: z.number().positive(),
  /** Rack positions on the data hall floor. */
  rackPositions: PositiveInt,
  pools: z.array(Pool).min(1),
});

const ComputeFabric = z.strictObject({
  transport: z.enum(["infiniband", "roce"]),
  /** A catalog switch id (src/catalog/switches.ts). */
  switch: z.string(),
  /** Leaf downlink:uplink bandwidth ratio; 1 is non-blocking. */
  oversubscription: z.number().min(1).max(8).default(1),
  /** Most tiers the fabric may have (1–3). */
  maxTiers: z.int().min(1).max(3).default(3),
  /** `rail`: one plane per NIC rail (rail-optimized); `single`: every NIC in one Clos. */
  planes: z.enum(["rail", "single"]).default("rail"),
});

const Fabric = z.strictObject({
  compute: ComputeFabric,
  /** Multus CNI type behind each rail's NetworkAttachmentDefinition. */
  railCni: z.enum(["sriov", "host-device", "macvlan"]).default("host-device"),
});

const Storage = z.strictObject({
  localNvme: z
    .strictObject({
      storageClass: Id.default("local-nvme"),
      provisioner: z.string().min(1),
    })
    .default({ storageClass: "local-nvme", provisioner: "local.csi.openebs.io" }),
  sharedFilesystem: z.strictObject({
    storageClass: Id.default("shared-fs"),
    csiDriver: z.string().min(1),
    /** Usable capacity per GPU, TiB: the filesystem is sized with the building. */
    capacityTiBPerGpu: z.number().positive(),
    /** Aggregate read bandwidth target per GPU, GB/s (DGX SuperPOD RA storage table: ~4 GB/s per GPU). */
    readGBpsPerGpu: z.number().positive().default(4),
  }),
  checkpoint: z
    .strictObject({
      storageClass: Id.default("checkpoint"),
      /** CSI driver for checkpoint volumes. @default - the shared filesystem's driver */
      csiDriver: z.string().min(1).optional(),
    })
    .default({ storageClass: "checkpoint" }),
});

/**
 * How a tenant's Kueue ClusterQueue shares GPUs with the other tenants of a cluster (one Cohort
 * per cluster). Limits are GPUs per cluster; cpu and memory limits follow in proportion.
 * Field semantics: kueue.sigs.k8s.io/docs/concepts/cluster_queue (v0.17).
 */
/** What a tenant's ClusterQueue preempts when the environment does not say. */
export const DEFAULT_TENANT_PREEMPTION = {
  withinClusterQueue: "LowerPriority",
  reclaimWithinCohort: "Any",
  borrowWithinCohort: "Never",
} as const;

const TenantQueue = z.strictObject({
  /** GPUs the tenant may borrow beyond its quota from idle quota of others. @default - no limit: whatever the cohort lends */
  borrowingLimitGpus: z.int().nonnegative().optional(),
  /** GPUs of its quota the tenant lends to others while idle; at most its quota. @default - all of it */
  lendingLimitGpus: z.int().nonnegative().optional(),
  /** Weight when tenants compete for idle GPUs (Kueue fair sharing, when enabled). @default - 1 */
  fairSharingWeight: z.number().positive().max(1000).optional(),
  preemption: z
    .strictObject({
      /** Preempt the tenant's own lower-priority work for a pending job. @default - "LowerPriority" */
      withinClusterQueue: z.enum(["Never", "LowerPriority", "LowerOrNewerEqualPriority"]).default("LowerPriority"),
      /** Take back lent GPUs by preempting borrowers. @default - "Any": lent GPUs always come back */
      reclaimWithinCohort: z.enum(["Never", "LowerPriority", "Any"]).default("Any"),
      /** While borrowing, preempt lower-priority work of other tenants. @default - "Never" */
      borrowWithinCohort: z.enum(["Never", "LowerPriority"]).default("Never"),
    })
    .default(DEFAULT_TENANT_PREEMPTION),
});

const Tenant = z
  .strictObject({
    id: Id,
    /** GPUs the tenant may request in each cluster it lives in (a ResourceQuota). */
    gpuQuota: PositiveInt.optional(),
    /** Or a fraction of each cluster's GPUs. */
    gpuShare: z.number().positive().max(1).optional(),
    /** Buildings whose clusters get this tenant. @default - every building */
    buildings: z.array(Id).min(1).optional(),
    datasetVolumeTiB: z.number().positive().optional(),
    checkpointVolumeTiB: z.number().positive().optional(),
    /** Total storage the namespace may request, TiB. @default - dataset + checkpoint volumes */
    storageQuotaTiB: z.number().positive().optional(),
    /** Kueue queueing: borrowing, lending, fair sharing, preemption. @default - borrow and lend freely, reclaim lent GPUs, preempt own lower-priority work */
    queue: TenantQueue.optional(),
  })
  .refine((t) => (t.gpuQuota === undefined) !== (t.gpuShare === undefined), {
    message: "give exactly one of gpuQuota or gpuShare",
  });

const Kubeconfig = z.strictObject({
  path: z.string().min(1).default("~/.kube/config"),
  /** Context for each derived cluster: `{cluster}` is replaced by the cluster id. */
  contextPattern: z.string().min(1).optional(),
  /** Explicit contexts by cluster id; they win over contextPattern. */
  contexts: z.record(z.string(), z.string().min(1)).default({}),
});

const Clusters = z.strictObject({
  /** `per-building`: each building is sharded into its own clusters; `campus`: buildings share clusters. */
  grouping: z.enum(["per-building", "campus"]).default("per-building"),
  /** Nodes per cluster at most. @default - 5,000, Kubernetes' tested limit */
  maxNodes: PositiveInt.default(KUBERNETES_LIMITS.maxNodesPerCluster),
  /** kubelet --max-pods on GPU nodes; sets the pods capacity and the cluster's pod budget. */
  maxPodsPerNode: PositiveInt.default(30),
  /** Kubernetes minor version the clusters run, e.g. "1.33". */
  kubernetesVersion: z.string().regex(/^1\.\d+$/, 'must look like "1.33"'),
  kubeconfig: Kubeconfig,
  /** Allow the sum of tenant GPU quotas in a cluster to exceed its GPUs. */
  allowQuotaOvercommit: z.boolean().default(false),
});

const Backend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    /** Directory for state files, relative to the stack's working directory. @default - cdktf's default */
    directory: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string().min(3),
    region: z.string().min(1),
    keyPrefix: z.string().min(1),
    /** S3-native state locking (`use_lockfile`, Terraform ≥ 1.10 and OpenTofu ≥ 1.10). */
    lockfile: z.literal(true).default(true),
  }),
]);

const Addons = z.strictObject({
  /** Kueue CRDs are installed: Topology and ResourceFlavor objects are managed. */
  kueue: z.boolean().default(false),
  /** Multus CRDs are installed: one NetworkAttachmentDefinition per rail. */
  multus: z.boolean().default(false),
});

/**
 * Policy pack settings (src/policy). A suppression switches one rule off for one construct path
 * (or glob: `*` in a segment, `**` across segments), and must say why.
 */
const REASON_MESSAGE = `a suppression needs a reason of at least ${MIN_REASON_LENGTH} characters saying why`;

const PolicySuppression = z.strictObject({
  /** Rule id, `GPC-NNN` (docs/policy.md: rules). */
  rule: z.string().regex(/^GPC-\d{3}$/, 'must be a policy rule id like "GPC-006"'),
  /** Construct path or glob, starting with the stack name `<environment>-<cluster>` (or `*`). */
  resource: z.string().min(1, "must name a construct path or glob"),
  /** Why the rule does not apply here: at least 10 characters, shown in every synth summary. */
  reason: z.string({ error: REASON_MESSAGE }).trim().min(MIN_REASON_LENGTH, REASON_MESSAGE),
});

const Policy = z.strictObject({
  suppressions: z.array(PolicySuppression).default([]),
});

export const EnvironmentSchema = z.strictObject({
  name: Id,
  description: z.string().optional(),
  campus: z.strictObject({
    id: Id,
    region: Id,
    /** Power usage effectiveness: facility power = IT power × PUE. */
    pue: z.number().min(1).max(3),
    /** Utility power the site is contracted for, MW. @default - no campus-level budget check */
    gridPowerMW: z.number().positive().optional(),
  }),
  buildings: z.array(Building).min(1),
  fabric: Fabric,
  storage: Storage,
  tenants: z.array(Tenant).default([]),
  clusters: Clusters,
  backend: Backend,
  addons: Addons.default({ kueue: false, multus: false }),
  /** Policy pack suppressions. @default - none: every rule applies everywhere */
  policy: Policy.default({ suppressions: [] }),
});

export type Environment = z.infer<typeof EnvironmentSchema>;
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
export type BuildingSpec = Environment["buildings"][number];
export type PoolSpec = BuildingSpec["pools"][number];
export type TenantSpec = Environment["tenants"][number];
export type TenantQueueSpec = NonNullable<TenantSpec["queue"]>;
export type DevicePluginSpec = PoolSpec["devicePlugin"];
export type PolicySuppressionSpec = Environment["policy"]["suppressions"][number];
