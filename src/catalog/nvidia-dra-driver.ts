/**
 * The NVIDIA DRA driver for GPUs, used for ComputeDomains only (multi-node NVLink through IMEX):
 * the one place its version is set. Source: kubernetes-sigs/dra-driver-nvidia-gpu at tag v0.4.1
 * (commit 764900e7833798a1528bd52a2af3e1b2d5f7a616; the project moved from NVIDIA/k8s-dra-driver-gpu
 * and from calendar versions, v25.12.0 → v0.4.x): deployments/helm/dra-driver-nvidia-gpu (image,
 * objects, RBAC, DeviceClass selectors), crds/resource.nvidia.com_computedomains.yaml and
 * cmd/compute-domain-controller/main.go (`defaultMaxNodesPerIMEXDomain = 18`). No digest published.
 * The GPU side of the driver stays off: the chart refuses it next to the device plugin
 * (templates/validation.yaml) until KEP-5004 is GA.
 */
export const NVIDIA_DRA_DRIVER = {
  repository: "registry.k8s.io/dra-driver-nvidia/dra-driver-nvidia-gpu",
  version: "v0.4.1",
  /** The DRA driver name of the ComputeDomain kubelet plugin (its ResourceSlices' `spec.driver`). */
  computeDomainDriver: "compute-domain.nvidia.com",
  /** The GPU kubelet plugin's driver name (cmd/gpu-kubelet-plugin/main.go); used by the twin's simulated slices. */
  gpuDriver: "gpu.nvidia.com",
  /** API group and version of ComputeDomain and ComputeDomainClique. */
  crdGroup: "resource.nvidia.com",
  crdVersion: "v1beta1",
  /** Binaries in the image (chart templates' `command:`). */
  controllerCommand: "compute-domain-controller",
  kubeletPluginCommand: "compute-domain-kubelet-plugin",
  /** Kubelet directories the plugin registers through (chart values kubeletPlugin.*DirectoryPath). */
  kubeletPluginsDir: "/var/lib/kubelet/plugins",
  kubeletRegistryDir: "/var/lib/kubelet/plugins_registry",
  /** Where the plugin writes CDI specs (chart env CDI_ROOT). */
  cdiRoot: "/var/run/cdi",
  /** Most IMEX daemons (nodes) in one IMEX domain on GB200/GB300. */
  maxNodesPerImexDomain: 18,
  /** Node label the ComputeDomain kubelet plugin sets where a domain's workload runs (computedomain.go). */
  computeDomainNodeLabel: "resource.nvidia.com/computeDomain",
  /** Health-check gRPC port of the compute-domains container (chart kubeletplugin.yaml). */
  healthcheckPort: 51515,
  /** Kubernetes minor version with DRA GA (`resource.k8s.io/v1` served by default). */
  minKubernetesMinor: 34,
} as const;

export const NVIDIA_DRA_DRIVER_IMAGE = `${NVIDIA_DRA_DRIVER.repository}:${NVIDIA_DRA_DRIVER.version}`;

/**
 * DeviceClasses the chart creates for ComputeDomains (templates/deviceclass-compute-domain-*.yaml):
 * the IMEX daemon's device and the workload's default IMEX channel (id 0).
 */
export const COMPUTE_DOMAIN_DEVICE_CLASSES = {
  daemon: "compute-domain-daemon.nvidia.com",
  defaultChannel: "compute-domain-default-channel.nvidia.com",
} as const;
