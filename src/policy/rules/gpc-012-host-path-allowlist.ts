import { posix } from "node:path";
import { NVIDIA_DEVICE_PLUGIN } from "../../catalog/nvidia-device-plugin.js";
import { block, field, kindOf, specOf, str } from "../../terraform-json/kubernetes-object.js";
import { justifiableInSystemNamespace, podOf } from "../pod-spec.js";
import { NOT_APPLICABLE, type ResourceRule, verdict } from "../policy-rule.js";
import { checkov, cis, kubeLinter, kubernetesDocs, pss } from "../sources.js";

/**
 * The kubelet's device plugin directory: the plugin's socket and kubelet.sock live here
 * (kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/device-plugins/). Taken from
 * the catalog, the same constant the device plugin construct mounts.
 */
export const DEVICE_PLUGIN_HOST_PATH: string = NVIDIA_DEVICE_PLUGIN.kubeletSocketDir;

/** True when `path` is an allowlisted directory or below one (after resolving `.` and `..`). */
export function hostPathAllowed(path: string, allowlist: readonly string[]): boolean {
  if (!path.startsWith("/")) return false;
  const normalized = posix.normalize(path).replace(/(.)\/+$/, "$1");
  return allowlist.some((allowed) => {
    const root = posix.normalize(allowed).replace(/(.)\/+$/, "$1");
    return normalized === root || normalized.startsWith(`${root}/`);
  });
}

export const hostPathAllowlist: ResourceRule = {
  id: "GPC-012",
  name: "host-path-allowlist",
  scope: "resource",
  level: "error",
  justification: "host-path",
  description: `hostPath volumes (in pods and PersistentVolumes) mount only allowlisted directories: ${DEVICE_PLUGIN_HOST_PATH}.`,
  why: "A hostPath reaches past the container: /, /etc or the runtime socket hand over the node.",
  fix:
    `Use a PVC, an emptyDir or a CSI volume; only the device plugin mounts ${DEVICE_PLUGIN_HOST_PATH}. A node agent in a GPU system ` +
    "namespace that needs another host path says which and why in the annotation justification.gpu-campus.io/host-path.",
  sources: [
    pss("baseline", "HostPath Volumes"),
    cis("5.2.12", "Minimize the admission of HostPath volumes"),
    kubeLinter("sensitive-host-mounts"),
    checkov("CKV_K8S_27", "Do not expose the docker daemon socket to containers"),
    kubernetesDocs(
      "Device plugins, the device plugin directory",
      "concepts/extend-kubernetes/compute-storage-net/device-plugins/",
    ),
  ],
  evaluate(resource, context) {
    const allowlist = context.hostPathAllowlist;
    const pod = podOf(resource);
    if (pod) {
      const found = verdict(
        pod.volumes
          .filter((v) => v.hostPath !== undefined && !hostPathAllowed(v.hostPath, allowlist))
          .map(
            (v) =>
              `${pod.owner}: volume "${v.name}" mounts host path ${v.hostPath}, not in the allowlist (${allowlist.join(", ")})`,
          ),
      );
      return justifiableInSystemNamespace(found, resource, context);
    }
    if (kindOf(resource) === "PersistentVolume") {
      const spec = specOf(resource);
      const source = block(field(spec, "persistentVolumeSource", "persistent_volume_source")) ?? spec;
      const path = str(block(field(source, "hostPath", "host_path"))?.path);
      if (path === undefined) return NOT_APPLICABLE;
      return verdict(
        hostPathAllowed(path, allowlist)
          ? []
          : [`PersistentVolume uses host path ${path}, not in the allowlist (${allowlist.join(", ")})`],
      );
    }
    return NOT_APPLICABLE;
  },
};
