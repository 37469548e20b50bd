import { posix } from "node:path";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { LocalBackend, PgBackend, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Building } from "../src/constructs/building.js";
import { CampusInventory } from "../src/constructs/campus-inventory.js";
import { GpuNodeSoftware } from "../src/constructs/gpu-node-software.js";
import { GPU_PRIORITY_CLASSES, GpuWorkloadClasses } from "../src/constructs/gpu-workload-classes.js";
import { KueueQueues } from "../src/constructs/kueue-queues.js";
import { KueueScheduling } from "../src/constructs/kueue-scheduling.js";
import { NvidiaDevicePlugin } from "../src/constructs/nvidia-device-plugin.js";
import { RailNetworks } from "../src/constructs/rail-networks.js";
import { TenantNamespace } from "../src/constructs/tenant-namespace.js";
import type { CampusPlan, ClusterPlan } from "../src/plan/plan-types.js";

export interface ClusterStackProps {
  /** The campus plan: versions, add-ons, backend and rail network of every cluster stack. */
  readonly plan: CampusPlan;
  /** The cluster this stack deploys to. */
  readonly cluster: ClusterPlan;
}

/**
 * One Terraform stack per Kubernetes cluster: small state, small blast radius, fast plans.
 * The stack's provider talks to the cluster through the kubeconfig context the environment names.
 * It composes the cluster-wide objects (workload classes, device plugin, Kueue, rails, tenants) and
 * the part of each building that lives in the cluster, all from plan slices.
 */
export class ClusterStack extends TerraformStack {
  readonly inventory: CampusInventory;
  readonly workloadClasses: GpuWorkloadClasses;
  /** Undefined when every pool is simulated (kind): GPUs come from the node registration artifact. */
  readonly devicePlugin: NvidiaDevicePlugin | undefined;
  readonly rails: RailNetworks;
  /** Telemetry, feature discovery, ComputeDomains, RDMA device plugin and RDMA pod policy. */
  readonly nodeSoftware: GpuNodeSoftware;
  /** Undefined unless the environment says Kueue is installed. */
  readonly kueue: KueueScheduling | undefined;
  /** The tenants' Cohort, ClusterQueues and LocalQueues; undefined without Kueue. */
  readonly queues: KueueQueues | undefined;
  readonly tenants: readonly TenantNamespace[];
  readonly buildings: readonly Building[];
  /** The stack as resolved while its validations ran: the synth's write right after takes it once. */
  private resolvedForValidation: Record<string, unknown> | undefined;
  private validating = false;

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, props.cluster.stackName);
    const { plan, cluster } = props;
    new KubernetesProvider(this, "kubernetes", {
      configPath: cluster.kubeconfig.path,
      configContext: cluster.kubeconfig.context,
    });
    this.configureBackend(plan.backend, cluster);
    const { kubernetesVersion } = plan;
    this.inventory = new CampusInventory(this, "inventory", {
      environment: plan.environment,
      cluster,
      kubernetesVersion,
    });
    this.workloadClasses = new GpuWorkloadClasses(this, "workload-classes", { simulated: cluster.simulated });
    this.devicePlugin = cluster.simulated
      ? undefined
      : new NvidiaDevicePlugin(this, "nvidia-device-plugin", {
          kubernetesVersion,
          runtimeClassName: this.workloadClasses.runtimeClassName,
        });
    this.nodeSoftware = new GpuNodeSoftware(this, "node-software", {
      plan,
      cluster,
      devicePluginNamespace: this.devicePlugin?.namespaceName ?? "",
      runtimeClassName: this.workloadClasses.runtimeClassName,
    });
    // The rail networks keep the id "fabric": their resources' addresses are those of the deployed stacks.
    this.rails = new RailNetworks(this, "fabric", {
      cluster,
      network: plan.railNetwork,
      multus: plan.addons.multus,
    });
    this.kueue = plan.addons.kueue ? new KueueScheduling(this, "kueue") : undefined;
    this.tenants = cluster.tenants.map(
      (tenant) => new TenantNamespace(this, `tenant-${tenant.id}`, { tenant, kubernetesVersion }),
    );
    this.buildings = cluster.buildings.map(
      (slice) =>
        new Building(this, `building-${slice.building.id}`, {
          slice,
          inventory: this.inventory,
          rails: this.rails,
          ...(this.kueue && { kueue: this.kueue }),
          ...(this.devicePlugin && { devicePlugin: this.devicePlugin }),
        }),
    );
    for (const tenant of this.tenants) {
      this.rails.addRailNetworks(tenant.tenant.namespace, tenant.namespace);
      this.addTenantVolumes(tenant);
    }
    // After the buildings: the queues name the flavors their pools registered.
    this.queues = this.kueue
      ? new KueueQueues(this, "kueue-queues", {
          tenants: cluster.tenants,
          sharedQuota: cluster.sharedQuota,
          priorities: GPU_PRIORITY_CLASSES,
          flavors: this.kueue.flavorManifests,
          namespaces: Object.fromEntries(this.tenants.map((t) => [t.tenant.id, t.namespace])),
        })
      : undefined;
  }

  /**
   * The policy pack reads the resolved stack while validations run, and cdktf's synthesizer
   * resolves it again to write cdk.tf.json right after them (cdktf lib/synthesize/synthesizer.js:
   * runAllValidations, then toTerraform). Resolving every token twice was the synth's largest
   * cost after cdktf's own passes (docs/performance.md), so the resolution made during
   * validation is kept for exactly the next toTerraform() call, and made afresh otherwise.
   */
  override runAllValidations(): void {
    this.resolvedForValidation = undefined;
    this.validating = true;
    try {
      super.runAllValidations();
    } finally {
      this.validating = false;
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: cdktf's own signature
  override toTerraform(): any {
    if (this.validating) {
      this.resolvedForValidation ??= super.toTerraform();
      return this.resolvedForValidation;
    }
    const resolved = this.resolvedForValidation ?? super.toTerraform();
    this.resolvedForValidation = undefined;
    return resolved;
  }

  /** Dataset and checkpoint volumes live in the tenant's home building of this cluster. */
  private addTenantVolumes(tenant: TenantNamespace): void {
    const plan = tenant.tenant;
    const home = this.buildings.find((b) => b.id === plan.homeBuildingId) ?? this.buildings[0];
    if (!home) return;
    const volume = { tenantId: plan.id, namespace: tenant.namespaceName };
    if (plan.datasetVolumeTiB !== undefined) home.storage.datasetVolume({ ...volume, sizeTiB: plan.datasetVolumeTiB });
    if (plan.checkpointVolumeTiB !== undefined) {
      home.storage.checkpointVolume({ ...volume, sizeTiB: plan.checkpointVolumeTiB });
    }
  }

  private configureBackend(backend: CampusPlan["backend"], cluster: ClusterPlan): void {
    if (backend.type === "local") {
      // A relative path is written relative to the stack's working directory (cdktf.out/stacks/<stack>),
      // so the state lives at the project root (or backend.directory under it), outside the synth
      // output that is replaced; an absolute backend.directory is used as it is (docs/environments.md: paths).
      const directory = backend.directory ?? ".";
      const file = `terraform.${cluster.stackName}.tfstate`;
      const path = posix.isAbsolute(directory) ? posix.join(directory, file) : posix.join("../../..", directory, file);
      new LocalBackend(this, { path });
      return;
    }
    if (backend.type === "pg") {
      const pg = new PgBackend(this, {
        connStr: "",
        schemaName: `${backend.schemaPrefix}_${cluster.stackName.replaceAll("-", "_")}`,
      });
      // The connection string holds a password: it stays out of the synthesized JSON, and the
      // backend reads PG_CONN_STR instead (cdktf 0.21's PgBackend requires the prop).
      pg.addOverride("conn_str", undefined);
      return;
    }
    const s3 = new S3Backend(this, {
      bucket: backend.bucket,
      region: backend.region,
      key: `${backend.keyPrefix}/${cluster.stackName}.tfstate`,
      encrypt: true,
      usePathStyle: backend.usePathStyle,
      ...(backend.endpoint && {
        endpoints: { s3: backend.endpoint },
        // An S3-compatible store has no AWS region list, STS, IAM account or instance metadata, and
        // may not verify the SDK's default checksums. Source: docs.oracle.com/en-us/iaas/Content/
        // terraform/object-storage-state.htm ("Using an S3-Compatible Backend").
        skipRegionValidation: true,
        skipCredentialsValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: true,
        skipS3Checksum: true,
      }),
    });
    // S3-native locking (Terraform >= 1.10, OpenTofu >= 1.10); cdktf 0.21's S3Backend has no prop for it.
    s3.addOverride("use_lockfile", backend.lockfile);
  }
}
