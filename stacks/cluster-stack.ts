import { posix } from "node:path";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Building } from "../src/constructs/building.js";
import { CampusInventory } from "../src/constructs/campus-inventory.js";
import { GpuWorkloadClasses } from "../src/constructs/gpu-workload-classes.js";
import { NetworkFabric } from "../src/constructs/network-fabric.js";
import { NvidiaDevicePlugin } from "../src/constructs/nvidia-device-plugin.js";
import { TenantNamespace } from "../src/constructs/tenant-namespace.js";
import type { Environment } from "../src/model/schema.js";
import type { CampusPlan, ClusterPlan, TenantPlan } from "../src/plan/plan-types.js";

export interface ClusterStackProps {
  readonly environment: Environment;
  readonly plan: CampusPlan;
  readonly cluster: ClusterPlan;
}

/**
 * One Terraform stack per Kubernetes cluster: small state, small blast radius, fast plans.
 * The stack's provider talks to the cluster through the kubeconfig context the environment names.
 * It composes the cluster-wide objects (workload classes, device plugin, fabric, tenants) and the
 * part of each building that lives in the cluster.
 */
export class ClusterStack extends TerraformStack {
  readonly inventory: CampusInventory;
  readonly workloadClasses: GpuWorkloadClasses;
  /** Undefined when every pool is simulated (kind): GPUs come from the node registration artifact. */
  readonly devicePlugin: NvidiaDevicePlugin | undefined;
  readonly fabric: NetworkFabric;
  readonly tenants: readonly TenantNamespace[];
  readonly buildings: readonly Building[];

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, props.cluster.stackName);
    const { environment, plan, cluster } = props;
    new KubernetesProvider(this, "kubernetes", {
      configPath: cluster.kubeconfig.path,
      configContext: cluster.kubeconfig.context,
    });
    this.configureBackend(environment, cluster);
    const kubernetesVersion = environment.clusters.kubernetesVersion;
    this.inventory = new CampusInventory(this, "inventory", { plan, cluster, kubernetesVersion });

    const slices = cluster.buildings;
    const simulated = slices.every((b) => b.pools.every((p) => p.pool.sku.simulated));
    const hasPhysicalPool = slices.some((b) => b.pools.some((p) => !p.pool.sku.simulated));
    this.workloadClasses = new GpuWorkloadClasses(this, "workload-classes", { simulated });
    this.devicePlugin = hasPhysicalPool
      ? new NvidiaDevicePlugin(this, "nvidia-device-plugin", { kubernetesVersion })
      : undefined;
    this.fabric = new NetworkFabric(this, "fabric", {
      plan,
      cluster,
      fabric: environment.fabric,
      addons: environment.addons,
      inventory: this.inventory,
    });
    this.tenants = cluster.tenants.map(
      (tenant) => new TenantNamespace(this, `tenant-${tenant.id}`, { tenant, kubernetesVersion }),
    );
    this.buildings = slices.map(
      (slice) =>
        new Building(this, `building-${slice.building.id}`, {
          plan,
          cluster,
          slice,
          storage: environment.storage,
          inventory: this.inventory,
          fabric: this.fabric,
          devicePlugin: this.devicePlugin,
          suffixStorageClasses: slices.length > 1,
          // kind's local-path provisioner cannot share a volume between nodes.
          volumeAccessMode: simulated ? "ReadWriteOnce" : "ReadWriteMany",
        }),
    );
    for (const tenant of this.tenants) {
      this.fabric.addRailNetworks(tenant.tenant.namespace, tenant.namespace);
      this.addTenantVolumes(environment, tenant);
    }
  }

  /** Dataset and checkpoint volumes live in the tenant's first building of this cluster. */
  private addTenantVolumes(environment: Environment, tenant: TenantNamespace): void {
    const plan: TenantPlan = tenant.tenant;
    const wanted = environment.tenants.find((t) => t.id === plan.id)?.buildings;
    const home = this.buildings.find((b) => wanted === undefined || wanted.includes(b.id)) ?? this.buildings[0];
    if (!home) return;
    const volume = { tenantId: plan.id, namespace: tenant.namespaceName };
    if (plan.datasetVolumeTiB !== undefined) home.storage.datasetVolume({ ...volume, sizeTiB: plan.datasetVolumeTiB });
    if (plan.checkpointVolumeTiB !== undefined) {
      home.storage.checkpointVolume({ ...volume, sizeTiB: plan.checkpointVolumeTiB });
    }
  }

  private configureBackend(environment: Environment, cluster: ClusterPlan): void {
    const backend = environment.backend;
    if (backend.type === "local") {
      // Relative to the stack's working directory (cdktf.out/stacks/<stack>), so the state lives
      // at the project root (or backend.directory), outside the synth output that is replaced.
      const directory = backend.directory ?? ".";
      new LocalBackend(this, { path: posix.join("../../..", directory, `terraform.${cluster.stackName}.tfstate`) });
      return;
    }
    const s3 = new S3Backend(this, {
      bucket: backend.bucket,
      region: backend.region,
      key: `${backend.keyPrefix}/${cluster.stackName}.tfstate`,
      encrypt: true,
    });
    // S3-native locking (Terraform >= 1.10, OpenTofu >= 1.10); cdktf 0.21's S3Backend has no prop for it.
    s3.addOverride("use_lockfile", backend.lockfile);
  }
}
