/**
 * The NVIDIA device plugin release every GPU pool runs: the one place its version is set.
 * Sources (NVIDIA/k8s-device-plugin at tag v0.20.0, commit 1b826acc6af3079d8923bac395c3124b8861a9a6):
 * deployments/static/nvidia-device-plugin.yml (image, container name, hostPath, toleration,
 * priority class), deployments/helm/nvidia-device-plugin/templates (MPS root, CDI root, the MPS
 * control daemon and GPU feature discovery DaemonSets, which run from the same image) and README.md
 * (config file format, flags, sharing). No digest is published upstream; the tag is pinned here.
 * The image is multi-arch (CHANGELOG v0.19.0, #1468): GB200's Grace CPUs are arm64.
 */
export const NVIDIA_DEVICE_PLUGIN = {
  repository: "nvcr.io/nvidia/k8s-device-plugin",
  version: "v0.20.0",
  /** The container name upstream uses; kept so runbooks and log queries carry over. */
  containerName: "nvidia-device-plugin-ctr",
  /** Where kubelet looks for device plugin sockets (Kubernetes device plugin API). */
  kubeletSocketDir: "/var/lib/kubelet/device-plugins",
  /** Version of the plugin's config file format (README, "As a configuration file"). */
  configVersion: "v1",
  /**
   * Host directory of the MPS control daemon's pipes, logs and /dev/shm (chart value `mps.root`);
   * the plugin is told it with `--mps-root` / `MPS_ROOT` (cmd/nvidia-device-plugin/main.go).
   */
  mpsRoot: "/run/nvidia/mps",
  /** Where the plugin writes CDI specs (internal/cdi/cdi.go `cdiRoot`). */
  cdiRoot: "/var/run/cdi",
  /** Suffix of renamed shared resources (api/config/v1/consts.go DefaultSharedResourceNameSuffix). */
  sharedResourceSuffix: ".shared",
  /** Binaries in the same image (chart templates' `command:`). */
  mpsControlDaemonCommand: "mps-control-daemon",
  gpuFeatureDiscoveryCommand: "gpu-feature-discovery",
} as const;

/** `repository:version`, the pinned image reference. */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = `${NVIDIA_DEVICE_PLUGIN.repository}:${NVIDIA_DEVICE_PLUGIN.version}`;
