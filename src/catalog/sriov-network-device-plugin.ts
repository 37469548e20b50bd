/**
 * The SR-IOV network device plugin, which advertises each compute rail's NIC (a PF for host-device
 * rails, VFs for sriov rails) as an extended resource and, with `isRdma: true`, hands the pod the
 * NIC's RDMA character devices (/dev/infiniband/*). The one place its version is set.
 * Source: k8snetworkplumbingwg/sriov-network-device-plugin at tag v3.11.0 (commit
 * d9b3819fcfaa15d40b9cdfdc4ee0888d956c17a1): deployments/sriovdp-daemonset.yaml (privileged,
 * hostNetwork, hostPaths, ConfigMap at /etc/pcidp/config.json), README.md (resourceList selectors,
 * `isRdma`, `pfNames`), docs/rdma/README.md (IPC_LOCK). NVIDIA's host-device RDMA pattern (Network
 * Operator v26.4.1 example/crs/mellanox.com_v1alpha1_nicclusterpolicy_cr-full.yaml) uses this
 * plugin with `isRdma`. Release images are multi-arch (amd64, arm64, …); no digest published.
 */
export const SRIOV_NETWORK_DEVICE_PLUGIN = {
  repository: "ghcr.io/k8snetworkplumbingwg/sriov-network-device-plugin",
  version: "v3.11.0",
  configDir: "/etc/pcidp",
  configFile: "config.json",
  kubeletSocketDir: "/var/lib/kubelet/device-plugins",
  kubeletRegistryDir: "/var/lib/kubelet/plugins_registry",
  /** Device-info files the plugin writes for CNIs (k8snetworkplumbingwg device-info spec). */
  deviceInfoDir: "/var/run/k8s.cni.cncf.io/devinfo/dp",
  logDir: "/var/log",
} as const;

export const SRIOV_NETWORK_DEVICE_PLUGIN_IMAGE = `${SRIOV_NETWORK_DEVICE_PLUGIN.repository}:${SRIOV_NETWORK_DEVICE_PLUGIN.version}`;

/**
 * The one capability RDMA pods add: memory registration pins pages. docs/rdma/README.md: "IPC_LOCK
 * capability privilege is required for RMA application to function properly in Kubernetes Pod".
 */
export const RDMA_CAPABILITY = "IPC_LOCK";
