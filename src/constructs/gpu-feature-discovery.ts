import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import { NVIDIA_DEVICE_PLUGIN, NVIDIA_DEVICE_PLUGIN_IMAGE } from "../catalog/nvidia-device-plugin.js";
import type { ClusterPoolSlice } from "../plan/plan-types.js";
import { justificationAnnotation, managedLabels, NAMES } from "../vocabulary/names.js";
import { nodeAgentDaemonSet, PRIVILEGED_CONTAINER } from "./node-agent-daemonset.js";
import { fieldEnv } from "./pod-field-env.js";

export interface GpuFeatureDiscoveryProps {
  /** The device plugin's namespace (Pod Security `privileged`): GFD runs beside it, as in upstream's chart. */
  readonly namespace: string;
  /** @default - the device plugin image, which carries the gpu-feature-discovery binary */
  readonly image?: string;
  /** @default - none: the nodes' default runtime must be nvidia */
  readonly runtimeClassName?: string;
}

/** `gpu-feature-discovery-<building>-<pool>`. */
export function gpuFeatureDiscoveryName(slice: Pick<ClusterPoolSlice, "name">): string {
  return `${NAMES.gpuFeatureDiscoveryApp}-${slice.name}`;
}

/**
 * GPU feature discovery, one DaemonSet per GPU pool (NVIDIA/k8s-device-plugin v0.20.0,
 * templates/daemonset-gfd.yml and docs/gpu-feature-discovery/README.md). GFD never labels nodes
 * itself: it writes an NFD `NodeFeature` object (`--use-node-feature-api`, the default since v0.19.0)
 * that nfd-master turns into `nvidia.com/gpu.*` labels (product, count, family, clique,
 * mps.capable). So it needs Node Feature Discovery, declared installed by `addons.nodeFeatureDiscovery`
 * (nfd-master with `extraLabelNs: [nvidia.com]`, as the chart's NFD dependency configures it);
 * the campus does not deploy NFD itself. Its RBAC is the chart's (role.yml with gfd.enabled).
 * The plan never sets a label under GFD's prefixes (GFD_LABEL_PREFIXES), so the two never fight.
 */
export class GpuFeatureDiscovery extends Construct {
  readonly daemonSets: DaemonSetV1[] = [];
  private readonly props: GpuFeatureDiscoveryProps;
  private readonly serviceAccountName: string;
  private readonly image: string;

  constructor(scope: Construct, id: string, props: GpuFeatureDiscoveryProps) {
    super(scope, id);
    this.props = props;
    this.image = props.image ?? NVIDIA_DEVICE_PLUGIN_IMAGE;
    const labels = managedLabels("gpu-feature-discovery");
    this.serviceAccountName = new ServiceAccountV1(this, "service-account", {
      metadata: { name: NAMES.gpuFeatureDiscoveryServiceAccount, namespace: props.namespace, labels },
      automountServiceAccountToken: false,
    }).metadata.name;
    const role = new ClusterRoleV1(this, "clusterrole", {
      metadata: { name: NAMES.gpuFeatureDiscoveryApp, labels },
      rule: [
        {
          apiGroups: ["nfd.k8s-sigs.io"],
          resources: ["nodefeatures"],
          verbs: ["get", "list", "watch", "create", "update"],
        },
        // pods get: GFD sets its pod as the NodeFeature's owner (CHANGELOG v0.19.0, #1597).
        { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
        { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
      ],
    });
    new ClusterRoleBindingV1(this, "clusterrolebinding", {
      metadata: { name: NAMES.gpuFeatureDiscoveryApp, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
      subject: [{ kind: "ServiceAccount", name: this.serviceAccountName, namespace: props.namespace }],
    });
  }

  /** GFD on exactly the pool's nodes. */
  addPool(slice: ClusterPoolSlice): DaemonSetV1 {
    const featuresDir = "/etc/kubernetes/node-feature-discovery/features.d";
    const daemonSet = new DaemonSetV1(
      this,
      `daemonset-${slice.name}`,
      nodeAgentDaemonSet({
        slice,
        name: gpuFeatureDiscoveryName(slice),
        namespace: this.props.namespace,
        app: NAMES.gpuFeatureDiscoveryApp,
        component: "gpu-feature-discovery",
        justifications: {
          [justificationAnnotation("privileged-container")]:
            "upstream's chart runs GFD privileged (values.yaml gfd.securityContext: needed to access the vGPU info on a host)",
          [justificationAnnotation("host-path")]:
            `reads /sys (the DMI machine type for nvidia.com/gpu.machine) and may write its feature file to ${featuresDir}`,
          [justificationAnnotation("service-account-token")]:
            "writes the node's NodeFeature object (nfd.k8s-sigs.io) through the API",
          [justificationAnnotation("run-as-root")]: "privileged node agent reading root-only sysfs and NVML",
          [justificationAnnotation("writable-root-filesystem")]: "upstream's chart leaves the root filesystem writable",
          [justificationAnnotation("added-capabilities")]: "privileged (see privileged-container); it drops none",
        },
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: true,
        runtimeClassName: this.props.runtimeClassName,
        pod: {
          container: [
            {
              name: "gpu-feature-discovery-ctr",
              image: this.image,
              command: [NVIDIA_DEVICE_PLUGIN.gpuFeatureDiscoveryCommand],
              env: [
                fieldEnv("NODE_NAME", "spec.nodeName"),
                fieldEnv("NAMESPACE", "metadata.namespace"),
                fieldEnv("POD_NAME", "metadata.name"),
                { name: "MIG_STRATEGY", value: slice.pool.devicePlugin.migStrategy },
                { name: "USE_NODE_FEATURE_API", value: "true" },
                // No timestamp label: a label that changes every minute would churn every node object.
                { name: "GFD_NO_TIMESTAMP", value: "true" },
                { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
              ],
              securityContext: PRIVILEGED_CONTAINER,
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
              volumeMount: [
                { name: "output-dir", mountPath: featuresDir },
                { name: "host-sys", mountPath: "/sys", readOnly: true },
              ],
            },
          ],
          volume: [
            { name: "output-dir", hostPath: { path: featuresDir, type: "DirectoryOrCreate" } },
            { name: "host-sys", hostPath: { path: "/sys", type: "Directory" } },
          ],
        },
      }),
    );
    this.daemonSets.push(daemonSet);
    return daemonSet;
  }
}
