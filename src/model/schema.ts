import { z } from "zod";
import { gpuSkuIds } from "../catalog/gpu-skus.js";
import { KUBERNETES_LIMITS } from "../catalog/kubernetes-limits.js";
import { switchModelIds } from "../catalog/switches.js";
import { MIN_REASON_LENGTH } from "../vocabulary/suppression-reason.js";

/**
 * The one schema for environment files: what a campus *is*. Shape and ranges live here; rules
 * that need the catalog or several fields at once (power, radix, node limits) live in
 * semantic-checks.ts so their messages can name the limit and by how much it was broken.
 */

/**
 * Ids end up in namespaces, node names, label values and stack names: short DNS-1123 labels, which
 * also end in a letter or digit (kubernetes.io/docs/concepts/overview/working-with-objects/names).
 */
const Id = z
  .string()
  .regex(
    /^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$/,
    "must be a lowercase DNS label: a-z first, then a-z 0-9 -, ending in a letter or digit, at most 24 characters",
  );

/** A figure as people write it: the limit and by how much a value breaks it, in the message. */
function figure(value: number): string {
  return Math.abs(value) >= 1e15 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(2)
    : value.toLocaleString("en-US", { maximumFractionDigits: 4 });
}

/**
 * A number within a stated plausible range. `above` is the smallest value allowed when
 * `exclusiveMin` (a positive quantity), else the least value. Beyond the range a value is a typo
 * (1e308 TiB) that would overflow a derived figure, not a campus.
 */
function range(unit: string, min: number, max: number, options: { exclusiveMin?: boolean; int?: boolean } = {}) {
  const of = (value: number) => (unit === "" ? figure(value) : `${figure(value)} ${unit}`);
  const base = options.int ? z.int() : z.number();
  const low = options.exclusiveMin
    ? base.gt(min, { error: (issue) => `must be more than ${of(min)}; ${figure(Number(issue.input))} is not` })
    : base.gte(min, {
        error: (issue) =>
          `must be at least ${of(min)}; ${figure(Number(issue.input))} is below by ${figure(min - Number(issue.input))}`,
      });
  return low.lte(max, {
    error: (issue) =>
      `must be at most ${of(max)} (the plausible range); ${figure(Number(issue.input))} is above by ${figure(Number(issue.input) - max)}`,
  });
}

/**
 * Rack positions of one data hall at most: an Abilene building holds ~50,000 GB200 GPUs, ~700
 * NVL72 racks (DESIGN.md); 10,000 leaves room for any building and bounds every derived size.
 */
export const MAX_BUILDING_RACK_POSITIONS = 10_000;
/** Volumes and storage quotas: 1 GiB (the smallest a CSI driver provisions sensibly) to 1 EiB. */
const MIN_VOLUME_TIB = 1 / 1024;
const MAX_VOLUME_TIB = 1024 * 1024;

/**
 * A StorageClass provisioner (a CSI driver name, or an external provisioner such as
 * rancher.io/local-path): Kubernetes validates it as a qualified name, an optional DNS-subdomain
 * prefix and `/`, then at most 63 characters with a letter or digit at both ends and - _ . between
 * (kubernetes/kubernetes pkg/apis/storage/validation: validateProvisioner, apimachinery IsQualifiedName;
 * CSI driver names: kubernetes-csi.github.io/docs/csi-driver-object.html).
 */
const ProvisionerName = z
  .string()
  .max(316)
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    "must be a provisioner or CSI driver name: [<dns-subdomain>/]<name>, the name at most 63 characters with a letter or digit at both ends",
  )
  .refine((name) => (name.split("/")[0]?.length ?? 0) <= 253, "the prefix before / must be at most 253 characters");

/** A JSON Schema pattern that finds a control character. */
const CONTROL_CHARACTER = "[\\u0000-\\u001f\\u007f]";

/** No control characters: text that reaches a terminal cannot carry escape sequences or line breaks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const isPrintable = (text: string) => !/[\u0000-\u001f\u007f]/.test(text);

/** No `..` segment, no control characters: a path in an environment file names where it points. */
const SafePath = z
  .string()
  .min(1)
  .max(4096)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  .refine((path) => !/[\u0000-\u001f\u007f]/.test(path), "must not hold control characters")
  .refine((path) => !path.split(/[\\/]/).includes(".."), "must not hold a `..` segment (docs/environments.md: paths)")
  // The same two rules for JSON Schema readers (schema/environment.schema.json).
  .meta({ not: { anyOf: [{ pattern: CONTROL_CHARACTER }, { pattern: "(^|[\\\\/])\\.\\.([\\\\/]|$)" }] } });

const DevicePluginSharing = z.strictObject({
  /** time-slicing or MPS: each physical GPU is advertised `replicas` times. */
  strategy: z
    .enum(["timeSlicing", "mps"])
    .describe("How a physical GPU is shared: timeSlicing (time slices) or mps (CUDA Multi-Process Service)."),
  replicas: range("replicas", 2, 48, { int: true }).describe("How many times each physical GPU is advertised (2-48)."),
  /** Advertise the shared GPUs as `nvidia.com/gpu.shared` instead of `nvidia.com/gpu`. */
  renameByDefault: z
    .boolean()
    .default(false)
    .describe("Advertise the shared GPUs as nvidia.com/gpu.shared instead of nvidia.com/gpu."),
});

const DevicePlugin = z.strictObject({
  /** NVIDIA device plugin `flags.migStrategy`. Blackwell MIG is off in training pools. */
  migStrategy: z
    .enum(["none", "single", "mixed"])
    .default("none")
    .describe("NVIDIA device plugin flags.migStrategy; Blackwell MIG is off in training pools."),
  /** `flags.plugin.deviceListStrategy`. */
  deviceListStrategy: z
    .enum(["envvar", "volume-mounts", "cdi-annotations", "cdi-cri"])
    .default("envvar")
    .describe("NVIDIA device plugin flags.plugin.deviceListStrategy: how allocated GPUs are passed to containers."),
  sharing: DevicePluginSharing.optional().describe(
    "Share each GPU between pods (time-slicing or MPS). Default: no sharing, one pod per GPU.",
  ),
});

const Pool = z
  .strictObject({
    id: Id.describe("Pool id, unique in its building: a lowercase DNS label of at most 24 characters."),
    /** A catalog SKU id (src/catalog/gpu-skus.ts). */
    // Any string for zod, so the reference check can answer an unknown SKU with the catalog's list;
    // the catalog's ids as an enum for editors.
    sku: z
      .string()
      .describe("GPU system SKU, an id from the catalog (src/catalog/gpu-skus.ts).")
      .meta({ enum: gpuSkuIds() }),
    /** Size of the pool. Give exactly one of racks, nodes or gpus; nodes and gpus must be whole racks. */
    racks: range("racks", 1, MAX_BUILDING_RACK_POSITIONS, { int: true })
      .optional()
      .describe("Size of the pool in racks. Give exactly one of racks, nodes or gpus."),
    nodes: range("nodes", 1, MAX_BUILDING_RACK_POSITIONS * 72, { int: true })
      .optional()
      .describe("Size of the pool in nodes, a whole number of racks. Give exactly one of racks, nodes or gpus."),
    gpus: range("GPUs", 1, MAX_BUILDING_RACK_POSITIONS * 576, { int: true })
      .optional()
      .describe("Size of the pool in GPUs, a whole number of racks. Give exactly one of racks, nodes or gpus."),
    devicePlugin: DevicePlugin.default({ migStrategy: "none", deviceListStrategy: "envvar" }).describe(
      "NVIDIA device plugin settings for this pool's nodes.",
    ),
  })
  .refine((pool) => [pool.racks, pool.nodes, pool.gpus].filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of racks, nodes or gpus",
  })
  .meta({ oneOf: [{ required: ["racks"] }, { required: ["nodes"] }, { required: ["gpus"] }] });

const Building = z.strictObject({
  id: Id.describe("Building id, unique in the campus: a lowercase DNS label of at most 24 characters."),
  /** Construction phase, for reports (Abilene: phase 1 = 2 buildings, phase 2 = 6). */
  phase: range("", 1, 100, { int: true })
    .default(1)
    .describe("Construction phase, for reports (Abilene: phase 1 = 2 buildings, phase 2 = 6)."),
  /** Critical IT power the building's electrical plant delivers, MW. */
  itPowerMW: range("MW", 0, 2_000, { exclusiveMin: true }).describe(
    "Critical IT power the building's electrical plant delivers, MW.",
  ),
  /** Rack positions on the data hall floor. */
  rackPositions: range("rack positions", 1, MAX_BUILDING_RACK_POSITIONS, { int: true }).describe(
    "Rack positions on the data hall floor.",
  ),
  pools: z.array(Pool).min(1).max(64).describe("The building's GPU pools (1-64)."),
});

const ComputeFabric = z.strictObject({
  transport: z
    .enum(["infiniband", "roce"])
    .describe("Compute fabric transport: infiniband or roce (RDMA over Converged Ethernet)."),
  /** A catalog switch id (src/catalog/switches.ts). */
  switch: z
    .string()
    .describe("Switch model, an id from the catalog (src/catalog/switches.ts).")
    .meta({ enum: switchModelIds() }),
  /** Leaf downlink:uplink bandwidth ratio; 1 is non-blocking. */
  oversubscription: range("", 1, 8)
    .default(1)
    .describe("Leaf downlink:uplink bandwidth ratio (1-8); 1 is non-blocking."),
  /** Most tiers the fabric may have (1–3). */
  maxTiers: z.int().min(1).max(3).default(3).describe("Most switch tiers the fabric may have (1-3)."),
  /**
   * `rail-optimized` (NVIDIA DGX SuperPOD): one Clos, NIC i of every node on the leaves of rail i, the
   * rails joined at the spine. `multi-plane` (OCI Acceleron, Spectrum-X multiplane): several
   * independent Clos planes with nothing shared between them. docs/environments.md: compute fabric designs.
   */
  design: z
    .enum(["rail-optimized", "multi-plane"])
    .default("rail-optimized")
    .describe(
      "rail-optimized (NVIDIA DGX SuperPOD: rails joined at the spine) or multi-plane (independent Clos planes, OCI-style).",
    ),
  /**
   * multi-plane only: `per-rail` puts rail i on plane i at the NIC's full speed (formerly `planes: rail`);
   * a number N fans every NIC port out into N links, one per plane, each plane rail-optimized.
   * @default - per-rail
   */
  planes: z
    .union([z.literal("per-rail"), z.int().min(2).max(8)], {
      error: (issue) =>
        issue.input === "rail"
          ? '"rail" was renamed: independent planes per NIC rail are design: multi-plane with planes: per-rail (docs/environments.md: compute fabric designs)'
          : issue.input === "single"
            ? '"single" was renamed: one Clos for every NIC is design: rail-optimized, without planes (docs/environments.md: compute fabric designs)'
            : 'must be "per-rail" or a whole number of planes from 2 to 8',
    })
    .optional()
    .describe(
      "multi-plane only: per-rail (rail i on plane i) or a number of planes (2-8) each NIC port fans out into.",
    ),
});

const Fabric = z.strictObject({
  compute: ComputeFabric.describe("The GPU-to-GPU (east-west) fabric."),
  /** Multus CNI type behind each rail's NetworkAttachmentDefinition. */
  railCni: z
    .enum(["sriov", "host-device", "macvlan"])
    .default("host-device")
    .describe("Multus CNI type behind each rail's NetworkAttachmentDefinition."),
});

const Storage = z.strictObject({
  localNvme: z
    .strictObject({
      storageClass: Id.default("local-nvme").describe("StorageClass name of node-local NVMe scratch."),
      provisioner: ProvisionerName.describe(
        "Provisioner of node-local volumes (a CSI driver or external provisioner name).",
      ),
    })
    .default({ storageClass: "local-nvme", provisioner: "local.csi.openebs.io" })
    .describe("Scratch on each node's NVMe drives (a WaitForFirstConsumer, Delete StorageClass)."),
  sharedFilesystem: z
    .strictObject({
      storageClass: Id.default("shared-fs").describe("StorageClass name of the shared filesystem."),
      csiDriver: ProvisionerName.describe("CSI driver of the shared filesystem."),
      /** Usable capacity per GPU, TiB: the filesystem is sized with the building. */
      capacityTiBPerGpu: range("TiB per GPU", 0, 1_000, { exclusiveMin: true }).describe(
        "Usable capacity per GPU, TiB: the filesystem is sized with the building.",
      ),
      /** Aggregate read bandwidth target per GPU, GB/s (DGX SuperPOD RA storage table: ~4 GB/s per GPU). */
      readGBpsPerGpu: range("GB/s per GPU", 0, 1_000, { exclusiveMin: true })
        .default(4)
        .describe("Aggregate read bandwidth target per GPU, GB/s (DGX SuperPOD RA storage table: ~4 GB/s per GPU)."),
    })
    .describe("The building's shared parallel filesystem for datasets."),
  checkpoint: z
    .strictObject({
      storageClass: Id.default("checkpoint").describe("StorageClass name of checkpoint volumes."),
      /** CSI driver for checkpoint volumes. @default - the shared filesystem's driver */
      csiDriver: ProvisionerName.optional().describe(
        "CSI driver of checkpoint volumes. Default: the shared filesystem's driver.",
      ),
    })
    .default({ storageClass: "checkpoint" })
    .describe("Where checkpoints are written (a retained StorageClass)."),
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
  borrowingLimitGpus: range("GPUs", 0, MAX_BUILDING_RACK_POSITIONS * 576, { int: true })
    .optional()
    .describe("GPUs the tenant may borrow beyond its quota from others' idle quota. Default: no limit."),
  /** GPUs of its quota the tenant lends to others while idle; at most its quota. @default - all of it */
  lendingLimitGpus: range("GPUs", 0, MAX_BUILDING_RACK_POSITIONS * 576, { int: true })
    .optional()
    .describe("GPUs of its quota the tenant lends to others while idle; at most its quota. Default: all of it."),
  /** Weight when tenants compete for idle GPUs (Kueue fair sharing, when enabled). @default - 1 */
  fairSharingWeight: range("", 0, 1000, { exclusiveMin: true })
    .optional()
    .describe("Weight when tenants compete for idle GPUs (Kueue fair sharing, when enabled). Default: 1."),
  preemption: z
    .strictObject({
      /** Preempt the tenant's own lower-priority work for a pending job. @default - "LowerPriority" */
      withinClusterQueue: z
        .enum(["Never", "LowerPriority", "LowerOrNewerEqualPriority"])
        .default("LowerPriority")
        .describe("Preempt the tenant's own lower-priority work for a pending job. Default: LowerPriority."),
      /** Take back lent GPUs by preempting borrowers. @default - "Any": lent GPUs always come back */
      reclaimWithinCohort: z
        .enum(["Never", "LowerPriority", "Any"])
        .default("Any")
        .describe("Take back lent GPUs by preempting borrowers. Default: Any (lent GPUs always come back)."),
      /** While borrowing, preempt lower-priority work of other tenants. @default - "Never" */
      borrowWithinCohort: z
        .enum(["Never", "LowerPriority"])
        .default("Never")
        .describe("While borrowing, preempt lower-priority work of other tenants. Default: Never."),
    })
    .default(DEFAULT_TENANT_PREEMPTION)
    .describe("Kueue preemption policy of the tenant's ClusterQueue (kueue.x-k8s.io/v1beta2 spec.preemption)."),
});

const Tenant = z
  .strictObject({
    id: Id.describe(
      "Tenant id, which is also its namespace: a lowercase DNS label, not default, kube-* or a campus namespace.",
    ),
    /** GPUs the tenant may request in each cluster it lives in (a ResourceQuota). */
    gpuQuota: range("GPUs", 1, MAX_BUILDING_RACK_POSITIONS * 576, { int: true })
      .optional()
      .describe(
        "GPUs the tenant may request in each cluster it lives in (a ResourceQuota). Give exactly one of gpuQuota or gpuShare.",
      ),
    /** Or a fraction of each cluster's GPUs. */
    gpuShare: range("of the cluster's GPUs", 0, 1, { exclusiveMin: true })
      .optional()
      .describe("Or a fraction (0-1] of each cluster's GPUs. Give exactly one of gpuQuota or gpuShare."),
    /** Buildings whose clusters get this tenant. @default - every building */
    buildings: z
      .array(Id)
      .min(1)
      .max(64)
      .optional()
      .describe("Buildings whose clusters get this tenant. Default: every building."),
    datasetVolumeTiB: range("TiB", MIN_VOLUME_TIB, MAX_VOLUME_TIB)
      .optional()
      .describe("Size of the tenant's dataset volume on the shared filesystem, TiB. Default: no dataset volume."),
    checkpointVolumeTiB: range("TiB", MIN_VOLUME_TIB, MAX_VOLUME_TIB)
      .optional()
      .describe("Size of the tenant's checkpoint volume, TiB. Default: no checkpoint volume."),
    /** Total storage the namespace may request, TiB. @default - dataset + checkpoint volumes */
    storageQuotaTiB: range("TiB", MIN_VOLUME_TIB, MAX_VOLUME_TIB)
      .optional()
      .describe("Total storage the namespace may request, TiB. Default: dataset + checkpoint volumes."),
    /**
     * The tenant's pods may use RDMA on the rails: add IPC_LOCK and request the rails' RDMA
     * resources, nothing more (a ValidatingAdmissionPolicy enforces it). @default false
     */
    rdma: z
      .boolean()
      .default(false)
      .describe("The tenant's pods may use RDMA on the rails: IPC_LOCK and the rails' RDMA resources, nothing more."),
    /** Kueue queueing: borrowing, lending, fair sharing, preemption. @default - borrow and lend freely, reclaim lent GPUs, preempt own lower-priority work */
    queue: TenantQueue.optional().describe(
      "Kueue queueing: borrowing and lending limits, fair-sharing weight, preemption. Default: borrow and lend freely.",
    ),
  })
  .refine((t) => (t.gpuQuota === undefined) !== (t.gpuShare === undefined), {
    message: "give exactly one of gpuQuota or gpuShare",
  })
  .meta({ oneOf: [{ required: ["gpuQuota"] }, { required: ["gpuShare"] }] });

/** A kubeconfig context name: any printable text a kubeconfig can hold. */
const ContextName = z
  .string()
  .min(1)
  .max(253)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "must not hold control characters")
  .meta({ not: { pattern: CONTROL_CHARACTER } });

const Kubeconfig = z.strictObject({
  /**
   * The kubeconfig file: absolute or `~/…`. A relative path would resolve from the directory the
   * provider runs in (cdktf.out/stacks/<stack>), which nobody means (docs/environments.md: paths).
   */
  path: SafePath.refine(
    (path) => path.startsWith("/") || path.startsWith("~/"),
    "must be absolute or start with ~/ (a relative path would resolve from cdktf.out/stacks/<stack>)",
  )
    .meta({ pattern: "^(/|~/)" })
    .default("~/.kube/config")
    .describe("The kubeconfig file: absolute or ~/...; no .. segments (docs/environments.md: paths)."),
  /** Context for each derived cluster: `{cluster}` is replaced by the cluster id, so each cluster gets its own. */
  contextPattern: ContextName.refine(
    (pattern) => pattern.includes("{cluster}"),
    "must contain {cluster}: without it every cluster would get the same context",
  )
    .meta({ pattern: "\\{cluster\\}" })
    .optional()
    .describe("Context of each derived cluster; must contain {cluster}, replaced by the cluster id."),
  /** Explicit contexts by cluster id; they win over contextPattern. */
  contexts: z
    .record(Id, ContextName)
    .default({})
    .describe("Explicit contexts by cluster id; they win over contextPattern. Two clusters may not share one."),
});

const Clusters = z.strictObject({
  /** `per-building`: each building is sharded into its own clusters; `campus`: buildings share clusters. */
  grouping: z
    .enum(["per-building", "campus"])
    .default("per-building")
    .describe("per-building: each building is sharded into its own clusters; campus: buildings share clusters."),
  /** Nodes per cluster at most. @default - 5,000, Kubernetes' tested limit */
  maxNodes: range("nodes", 1, 1_000_000, { int: true })
    .default(KUBERNETES_LIMITS.maxNodesPerCluster)
    .describe("Nodes per cluster at most. Default: 5,000, Kubernetes' tested limit."),
  /** kubelet --max-pods on GPU nodes; sets the pods capacity and the cluster's pod budget. */
  maxPodsPerNode: range("pods", 1, 100_000, { int: true })
    .default(30)
    .describe("kubelet --max-pods on GPU nodes (at most 110); sets the pods capacity and the cluster's pod budget."),
  /** Kubernetes minor version the clusters run, e.g. "1.33". */
  kubernetesVersion: z
    .string()
    .regex(/^1\.\d+$/, 'must look like "1.33"')
    .describe('Kubernetes minor version the clusters run, e.g. "1.33".'),
  kubeconfig: Kubeconfig.describe("How the Terraform provider reaches each cluster's API server."),
  /** Allow the sum of tenant GPU quotas in a cluster to exceed its GPUs. */
  allowQuotaOvercommit: z
    .boolean()
    .default(false)
    .describe("Allow the sum of tenant GPU quotas in a cluster to exceed its GPUs (never one quota)."),
});

/**
 * S3 general purpose bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * 3–63 characters of a-z 0-9 . -, a letter or digit at both ends, no "..", not an IP address,
 * none of the reserved prefixes and suffixes.
 */
const S3BucketName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]{1,61}[a-z0-9])$/,
    "must be an S3 bucket name: 3-63 characters of a-z 0-9 . -, a letter or digit at both ends",
  )
  .refine((name) => !name.includes(".."), "must not hold two adjacent periods")
  .refine((name) => !/^\d+\.\d+\.\d+\.\d+$/.test(name), "must not look like an IP address")
  .refine(
    (name) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) && !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name),
    "must not use a prefix or suffix S3 reserves (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, --x-s3, --table-s3)",
  )
  .meta({
    not: {
      anyOf: [
        { pattern: "\\.\\." },
        { pattern: "^\\d+\\.\\d+\\.\\d+\\.\\d+$" },
        { pattern: "^(xn--|sthree-|amzn-s3-demo-)" },
        { pattern: "(-s3alias|--ol-s3|--x-s3|--table-s3)$" },
      ],
    },
  });

const Backend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local").describe("local: state files on this machine."),
    /**
     * Directory for state files: absolute, or relative to the project root (the directory that
     * holds cdktf.out); no `..` segments (docs/environments.md: paths).
     * @default - the project root
     */
    directory: SafePath.optional().describe(
      "Directory for state files: absolute, or relative to the project root (the directory holding cdktf.out); no .. segments. Default: the project root.",
    ),
  }),
  z.strictObject({
    type: z.literal("s3").describe("s3: state objects in an S3 bucket."),
    bucket: S3BucketName.describe("S3 bucket name (S3 general purpose bucket naming rules)."),
    region: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, 'must be a region name like "us-south-1" (a-z, 0-9, -)')
      .describe("The bucket's region, e.g. us-south-1."),
    /** Key prefix of the state objects: S3 "safe" characters in `/`-separated segments. */
    keyPrefix: z
      .string()
      .max(512)
      .regex(
        /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/,
        "must be /-separated segments of letters, digits and !_.*'()- (no leading, trailing or doubled /)",
      )
      .refine((prefix) => !prefix.split("/").some((s) => s === "." || s === ".."), "must not hold a . or .. segment")
      .meta({ not: { pattern: "(^|/)\\.{1,2}(/|$)" } })
      .describe("Key prefix of the state objects: /-separated segments of S3 safe characters."),
    /** S3-native state locking (`use_lockfile`, Terraform ≥ 1.10 and OpenTofu ≥ 1.10). */
    lockfile: z
      .literal(true)
      .default(true)
      .describe("S3-native state locking (use_lockfile, Terraform >= 1.10 and OpenTofu >= 1.10); always on."),
    /**
     * An S3-compatible store's endpoint (OCI Object Storage, Ceph, MinIO): an http(s) URL with no
     * path. The AWS-only checks (region list, STS, account id, instance metadata) are then skipped.
     * @default - AWS S3 of `region`
     */
    endpoint: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .refine(
        // The URL check above reports a malformed URL; this one only looks at well-formed ones.
        (url) => !URL.canParse(url) || (new URL(url).pathname === "/" && !url.includes("?")),
        "must have no path or query",
      )
      // What the two checks above say, for editors: a scheme, a host (and port), at most a "/".
      .meta({ pattern: "^https?://[^/?#\\s]+/?$" })
      .optional()
      .describe("An S3-compatible store's endpoint (OCI Object Storage, Ceph, MinIO): an http(s) URL with no path."),
    /** Bucket in the URL path, not the host name: what OCI's S3 compatibility API needs. @default false */
    usePathStyle: z
      .boolean()
      .default(false)
      .describe("Bucket in the URL path, not the host name (what OCI's S3 compatibility API needs)."),
  }),
  z.strictObject({
    type: z.literal("pg").describe("pg: state in PostgreSQL, locked with advisory locks."),
    /**
     * PostgreSQL state (locked with advisory locks): each stack gets the schema
     * `<schemaPrefix>_<stack>`. The connection string, with its password, comes from PG_CONN_STR.
     */
    schemaPrefix: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{0,30}$/,
        "must be a lowercase SQL identifier: a-z first, then a-z 0-9 _, at most 31 characters",
      )
      .describe(
        "Schema prefix: each stack's state lives in <schemaPrefix>_<stack>; the connection comes from PG_CONN_STR.",
      ),
  }),
]);

const Addons = z.strictObject({
  /** Kueue CRDs are installed: Topology and ResourceFlavor objects are managed. */
  kueue: z
    .boolean()
    .default(false)
    .describe("Kueue CRDs are installed: Topology and ResourceFlavor objects are managed."),
  /** Multus CRDs are installed: one NetworkAttachmentDefinition per rail. */
  multus: z.boolean().default(false).describe("Multus CRDs are installed: one NetworkAttachmentDefinition per rail."),
  /**
   * The NVIDIA DRA driver runs ComputeDomains (multi-node NVLink through IMEX) on GB200/GB300 pools.
   * Needs Kubernetes ≥ 1.34 (DRA GA, resource.k8s.io/v1).
   */
  nvidiaDra: z
    .boolean()
    .default(false)
    .describe(
      "The NVIDIA DRA driver runs ComputeDomains (multi-node NVLink) on GB200/GB300 pools; needs Kubernetes >= 1.34.",
    ),
  /** Node Feature Discovery is installed (nfd-master with extraLabelNs nvidia.com): GPU feature discovery runs. */
  nodeFeatureDiscovery: z
    .boolean()
    .default(false)
    .describe("Node Feature Discovery is installed: GPU feature discovery runs on GPU pools."),
  /** The Prometheus operator's CRDs are installed: DCGM ServiceMonitor and GPU alert rules are managed. */
  prometheusOperator: z
    .boolean()
    .default(false)
    .describe("The Prometheus operator's CRDs are installed: DCGM ServiceMonitor and GPU alert rules are managed."),
});

/**
 * Policy pack settings (src/policy). A suppression switches one rule off for one construct path
 * (or glob: `*` in a segment, `**` across segments), and must say why.
 */
const REASON_MESSAGE = `a suppression needs a reason of at least ${MIN_REASON_LENGTH} characters saying why`;

const PolicySuppression = z.strictObject({
  /** Rule id, `GPC-NNN` (docs/policy.md: rules). */
  rule: z
    .string()
    .regex(/^GPC-\d{3}$/, 'must be a policy rule id like "GPC-006"')
    .describe("Rule id, GPC-NNN (docs/policy.md: rules)."),
  /** Construct path or glob, starting with the stack name `<environment>-<cluster>` (or `*`). */
  resource: z
    .string()
    .min(1, "must name a construct path or glob")
    .refine(isPrintable, "must not hold control characters (it is printed in every synth summary)")
    .meta({ not: { pattern: CONTROL_CHARACTER } })
    .describe(
      "Construct path or glob (* in a segment, ** across segments), starting with the stack name <environment>-<cluster> or *.",
    ),
  /** Why the rule does not apply here: at least 10 characters, shown in every synth summary. */
  reason: z
    .string({ error: REASON_MESSAGE })
    .trim()
    .min(MIN_REASON_LENGTH, REASON_MESSAGE)
    .refine(isPrintable, "must not hold control characters (it is printed in every synth summary)")
    .describe("Why the rule does not apply here: at least 10 characters, shown in every synth summary.")
    // zod counts the trimmed text; the pattern does the same for JSON Schema readers.
    .meta({ pattern: `^\\s*\\S[\\s\\S]{${MIN_REASON_LENGTH - 2},}\\S\\s*$`, not: { pattern: CONTROL_CHARACTER } }),
});

const Policy = z.strictObject({
  suppressions: z
    .array(PolicySuppression)
    .default([])
    .describe("Rules switched off for one construct path or glob, each with a reason."),
});

export const EnvironmentSchema = z.strictObject({
  name: Id.describe("Environment name: a lowercase DNS label, the prefix of every stack name."),
  description: z.string().optional().describe("What this environment is, for people."),
  campus: z
    .strictObject({
      id: Id.describe("Campus id: a lowercase DNS label, in node names and labels."),
      region: Id.describe("Region id: a lowercase DNS label, in topology labels."),
      /** Power usage effectiveness: facility power = IT power × PUE. */
      pue: range("", 1, 3).describe("Power usage effectiveness (1-3): facility power = IT power x PUE."),
      /** Utility power the site is contracted for, MW. @default - no campus-level budget check */
      gridPowerMW: range("MW", 0, 20_000, { exclusiveMin: true })
        .optional()
        .describe("Utility power the site is contracted for, MW. Default: no campus-level budget check."),
    })
    .describe("The site: its id, region, PUE and grid power."),
  buildings: z
    .array(Building)
    .min(1)
    .max(64)
    .describe("The data halls (1-64), each with its power, floor and GPU pools."),
  fabric: Fabric.describe("The compute fabric and how pods attach to its rails."),
  storage: Storage.describe("StorageClasses and the shared filesystem's sizing."),
  tenants: z
    .array(Tenant)
    .default([])
    .describe("Teams that get a namespace, quotas and volumes in the clusters of their buildings."),
  clusters: Clusters.describe("How the campus is cut into Kubernetes clusters and how they are reached."),
  backend: Backend.describe("Where Terraform state lives: local files or S3."),
  addons: Addons.default({
    kueue: false,
    multus: false,
    nvidiaDra: false,
    nodeFeatureDiscovery: false,
    prometheusOperator: false,
  }).describe("Which CRDs are installed in the clusters, so their objects are managed."),
  /** Policy pack suppressions. @default - none: every rule applies everywhere */
  policy: Policy.default({ suppressions: [] }).describe(
    "Policy pack settings: suppressions. Default: every rule applies everywhere.",
  ),
});

export type Environment = z.infer<typeof EnvironmentSchema>;
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
export type BuildingSpec = Environment["buildings"][number];
export type PoolSpec = BuildingSpec["pools"][number];
export type TenantSpec = Environment["tenants"][number];
export type TenantQueueSpec = NonNullable<TenantSpec["queue"]>;
export type DevicePluginSpec = PoolSpec["devicePlugin"];
export type PolicySuppressionSpec = Environment["policy"]["suppressions"][number];
