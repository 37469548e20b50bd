import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import {
  SRIOV_NETWORK_DEVICE_PLUGIN,
  SRIOV_NETWORK_DEVICE_PLUGIN_IMAGE,
} from "../catalog/sriov-network-device-plugin.js";
import type { ClusterPoolSlice } from "../plan/plan-types.js";
import {
  justificationAnnotation,
  managedLabels,
  NAMES,
  podSecurityLabels,
  railInterfaceName,
  railResourceName,
} from "../vocabulary/names.js";
import { nodeAgentDaemonSet, PRIVILEGED_CONTAINER } from "./node-agent-daemonset.js";

export interface RdmaDevicePluginProps {
  /** Kubernetes minor version ("1.34"): pins the namespace's Pod Security labels. */
  readonly kubernetesVersion: string;
  /** Compute rails per node: one resource per rail. */
  readonly rails: number;
  /** @default - the pinned catalog image (src/catalog/sriov-network-device-plugin.ts) */
  readonly image?: string;
}

/** `gpu-campus.io` and `rail0` of `gpu-campus.io/rail0`: what the plugin's resourceList takes apart. */
function splitResource(resource: string): { prefix: string; name: string } {
  const slash = resource.indexOf("/");
  return { prefix: resource.slice(0, slash), name: resource.slice(slash + 1) };
}

/**
 * The SR-IOV network device plugin config: one RDMA resource per rail, `gpu-campus.io/railN`,
 * selecting the rail's NIC by its provisioned interface name (`pfNames: [railN]`: the PF itself for
 * host-device rails, its VFs for sriov rails) with `isRdma: true`, so the pod also gets the NIC's
 * /dev/infiniband devices (k8snetworkplumbingwg/sriov-network-device-plugin v3.11.0 README,
 * "netDevice selectors"; NVIDIA Network Operator v26.4.1 host-device RDMA example).
 */
export function rdmaDevicePluginConfig(rails: number): Record<string, unknown> {
  return {
    resourceList: Array.from({ length: rails }, (_, rail) => {
      const { prefix, name } = splitResource(railResourceName(rail));
      return {
        resourceName: name,
        resourcePrefix: prefix,
        selectors: [{ pfNames: [railInterfaceName(rail)], isRdma: true }],
      };
    }),
  };
}

/**
 * The device plugin that exposes each compute rail's RDMA resource, for `host-device` and `sriov`
 * rails alike (macvlan rails carry no RDMA). One DaemonSet per physical pool, as upstream's
 * deployments/sriovdp-daemonset.yaml runs it: privileged and on the host network (it inspects the
 * node's NICs and their RDMA devices), kubelet's device-plugin and registration directories, and the
 * device-info directory the CNIs read. Pods then request `gpu-campus.io/railN: 1` per rail, and
 * Multus hands the allocated device to the rail's CNI (the NAD's k8s.v1.cni.cncf.io/resourceName).
 */
export class RdmaDevicePlugin extends Construct {
  readonly namespaceName: string;
  readonly daemonSets: DaemonSetV1[] = [];
  readonly resourceNames: readonly string[];
  private readonly configMapName: string;
  private readonly serviceAccountName: string;
  private readonly image: string;

  constructor(scope: Construct, id: string, props: RdmaDevicePluginProps) {
    super(scope, id);
    this.image = props.image ?? SRIOV_NETWORK_DEVICE_PLUGIN_IMAGE;
    this.resourceNames = Array.from({ length: props.rails }, (_, rail) => railResourceName(rail));
    const labels = managedLabels("rdma-device-plugin");
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: NAMES.rdmaDevicePluginNamespace,
        labels: { ...labels, ...podSecurityLabels(props.kubernetesVersion, "privileged", "baseline") },
        annotations: {
          [justificationAnnotation("pod-security-privileged")]:
            "the SR-IOV network device plugin runs privileged on the host network to find each rail's NIC and its " +
            "RDMA devices (upstream deployments/sriovdp-daemonset.yaml); nothing else runs here",
        },
      },
    });
    this.namespaceName = namespace.metadata.name;
    const meta = (name: string) => ({ name, namespace: this.namespaceName, labels });
    this.serviceAccountName = new ServiceAccountV1(this, "service-account", {
      metadata: meta(NAMES.rdmaDevicePluginApp),
      automountServiceAccountToken: false,
    }).metadata.name;
    this.configMapName = new ConfigMapV1(this, "config", {
      metadata: meta(NAMES.rdmaDevicePluginConfigMap),
      data: { [SRIOV_NETWORK_DEVICE_PLUGIN.configFile]: JSON.stringify(rdmaDevicePluginConfig(props.rails)) },
    }).metadata.name;
  }

  /** The plugin on exactly the pool's nodes. */
  addPool(slice: ClusterPoolSlice): DaemonSetV1 {
    const dp = SRIOV_NETWORK_DEVICE_PLUGIN;
    const hostDirs = [
      { name: "device-plugins", path: dp.kubeletSocketDir },
      { name: "plugins-registry", path: dp.kubeletRegistryDir },
      { name: "log", path: dp.logDir },
      { name: "device-info", path: dp.deviceInfoDir, type: "DirectoryOrCreate" },
    ];
    const daemonSet = new DaemonSetV1(
      this,
      `daemonset-${slice.name}`,
      nodeAgentDaemonSet({
        slice,
        name: `${NAMES.rdmaDevicePluginApp}-${slice.name}`,
        namespace: this.namespaceName,
        app: NAMES.rdmaDevicePluginApp,
        component: "rdma-device-plugin",
        justifications: {
          [justificationAnnotation("privileged-container")]:
            "reads every rail NIC's PCI, netdev and RDMA state from the host; upstream's manifest runs it privileged",
          [justificationAnnotation("host-namespaces")]:
            "hostNetwork: it discovers the rail netdevs in the node's network namespace (upstream manifest)",
          [justificationAnnotation("host-path")]:
            `registers with kubelet (${dp.kubeletSocketDir}, ${dp.kubeletRegistryDir}), writes device-info for CNIs ` +
            `(${dp.deviceInfoDir}) and logs to ${dp.logDir}`,
          [justificationAnnotation("run-as-root")]: "creates its socket in root-owned kubelet directories",
          [justificationAnnotation("writable-root-filesystem")]:
            "upstream's manifest leaves the root filesystem writable",
          [justificationAnnotation("added-capabilities")]: "privileged (see privileged-container); it drops none",
        },
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: false,
        pod: {
          hostNetwork: true,
          container: [
            {
              name: "kube-sriovdp",
              image: this.image,
              args: ["--log-dir=sriovdp", "--log-level=10"],
              securityContext: PRIVILEGED_CONTAINER,
              // Upstream's manifest: requests 250m/40Mi, limits 1 CPU/200Mi.
              resources: { requests: { cpu: "250m", memory: "40Mi" }, limits: { cpu: "1", memory: "200Mi" } },
              volumeMount: [
                ...hostDirs.map((d) => ({ name: d.name, mountPath: d.path })),
                { name: "config", mountPath: dp.configDir, readOnly: true },
              ],
            },
          ],
          volume: [
            ...hostDirs.map((d) => ({ name: d.name, hostPath: { path: d.path, ...(d.type && { type: d.type }) } })),
            { name: "config", configMap: { name: this.configMapName } },
          ],
        },
      }),
    );
    this.daemonSets.push(daemonSet);
    return daemonSet;
  }
}
