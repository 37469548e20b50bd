import { Construct } from "constructs";
import type { CampusPlan, ClusterPlan, ClusterPoolSlice } from "../plan/plan-types.js";
import { railResourceName } from "../vocabulary/names.js";
import { DcgmExporter } from "./dcgm-exporter.js";
import { GpuFeatureDiscovery } from "./gpu-feature-discovery.js";
import { NvidiaDraDriver } from "./nvidia-dra-driver.js";
import { RdmaDevicePlugin } from "./rdma-device-plugin.js";
import { RdmaPodPolicy } from "./rdma-pod-policy.js";

export interface GpuNodeSoftwareProps {
  /** Versions, add-ons and the rail network of the campus. */
  readonly plan: Pick<CampusPlan, "kubernetesVersion" | "addons" | "railNetwork">;
  /** The cluster: its pools, rails and tenants. */
  readonly cluster: Pick<ClusterPlan, "buildings" | "rails" | "tenants">;
  /** The namespace of the device plugin: GPU feature discovery runs beside it. */
  readonly devicePluginNamespace: string;
  /** @default - none: the nodes' default runtime must be nvidia */
  readonly runtimeClassName?: string;
}

/** A pool whose NVLink domain spans nodes (GB200/GB300 NVL72): ComputeDomains have something to span. */
function multiNodeNvlink(slice: ClusterPoolSlice): boolean {
  return slice.pool.sku.nvlinkDomainGpus > slice.pool.sku.gpusPerNode;
}

/**
 * The node software of a cluster's physical GPU pools besides the device plugin, each on exactly
 * its pools' nodes: DCGM telemetry everywhere (ServiceMonitor and alerts with the Prometheus
 * operator), GPU feature discovery when NFD is installed, the DRA driver's ComputeDomains on NVLink
 * pools when `addons.nvidiaDra`, and the RDMA device plugin on host-device and sriov rails; plus
 * the admission policy that holds RDMA tenants to IPC_LOCK (needed even on simulated clusters).
 */
export class GpuNodeSoftware extends Construct {
  readonly telemetry: DcgmExporter | undefined;
  readonly featureDiscovery: GpuFeatureDiscovery | undefined;
  readonly draDriver: NvidiaDraDriver | undefined;
  readonly rdmaDevicePlugin: RdmaDevicePlugin | undefined;
  readonly rdmaPodPolicy: RdmaPodPolicy | undefined;

  constructor(scope: Construct, id: string, props: GpuNodeSoftwareProps) {
    super(scope, id);
    const { plan, cluster } = props;
    const { kubernetesVersion, addons } = plan;
    const runtime = props.runtimeClassName ? { runtimeClassName: props.runtimeClassName } : {};
    const pools = cluster.buildings.flatMap((b) => b.pools).filter((p) => !p.pool.sku.simulated);
    const rdmaRails = plan.railNetwork.cni !== "macvlan" && addons.multus && cluster.rails > 0;
    const railResources = rdmaRails ? Array.from({ length: cluster.rails }, (_, rail) => railResourceName(rail)) : [];

    if (pools.length > 0) {
      const telemetry = new DcgmExporter(this, "dcgm-exporter", {
        kubernetesVersion,
        prometheusOperator: addons.prometheusOperator,
        ...runtime,
      });
      const discovery = addons.nodeFeatureDiscovery
        ? new GpuFeatureDiscovery(this, "gpu-feature-discovery", { namespace: props.devicePluginNamespace, ...runtime })
        : undefined;
      const nvlinkPools = pools.filter(multiNodeNvlink);
      const dra =
        addons.nvidiaDra && nvlinkPools.length > 0
          ? new NvidiaDraDriver(this, "nvidia-dra-driver", { kubernetesVersion })
          : undefined;
      const rdma = rdmaRails
        ? new RdmaDevicePlugin(this, "rdma-device-plugin", { kubernetesVersion, rails: cluster.rails })
        : undefined;
      for (const slice of pools) {
        telemetry.addPool(slice);
        discovery?.addPool(slice);
        rdma?.addPool(slice);
      }
      for (const slice of nvlinkPools) dra?.addPool(slice);
      this.telemetry = telemetry;
      this.featureDiscovery = discovery;
      this.draDriver = dra;
      this.rdmaDevicePlugin = rdma;
    }
    const rdmaTenants = cluster.tenants.some((t) => t.rdma);
    this.rdmaPodPolicy = rdmaTenants
      ? new RdmaPodPolicy(this, "rdma-pod-policy", {
          railResources,
        })
      : undefined;
  }
}
