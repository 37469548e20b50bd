/**
 * The NVIDIA device plugin release every GPU pool runs: the one place its version is set.
 * Source: NVIDIA/k8s-device-plugin deployments/static/nvidia-device-plugin.yml (image, container
 * name, env, hostPath, toleration, priority class) and its README (config file format, flags).
 * The image is multi-arch (amd64 and arm64), which GB200's Grace CPUs need.
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
} as const;

/** `repository:version`, the pinned image reference. */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = `${NVIDIA_DEVICE_PLUGIN.repository}:${NVIDIA_DEVICE_PLUGIN.version}`;
