import { createHash } from "node:crypto";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Annotations, Lazy } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { NVIDIA_DEVICE_PLUGIN, NVIDIA_DEVICE_PLUGIN_IMAGE } from "../catalog/nvidia-device-plugin.js";
import type { ClusterPoolSlice, PoolPlan } from "../plan/plan-types.js";
import { GPU_RESOURCE } from "../vocabulary/labels.js";
import {
  APP_LABEL,
  CONFIG_HASH_ANNOTATION,
  GPU_TOLERATION,
  justificationAnnotation,
  managedLabels,
  NAMES,
  podSecurityLabels,
} from "../vocabulary/names.js";
import { type ContainerResources, containerResources } from "./container-resources.js";
import { type PoolSelection, sameSelectorErrors } from "./selector-overlap.js";

export interface NvidiaDevicePluginProps {
  /** Kubernetes minor version of the cluster ("1.33"): pins the namespace's Pod Security labels. */
  readonly kubernetesVersion: string;
  /** @default - the pinned catalog image (src/catalog/nvidia-device-plugin.ts) */
  readonly image?: string;
  /** @default - `nvidia-device-plugin`, a namespace of its own (Pod Security `privileged`) */
  readonly namespace?: string;
  /** @default - requests 50m CPU / 64Mi, limits 500m CPU / 256Mi */
  readonly resources?: ContainerResources;
  /**
   * Nodes whose plugin may restart at once during a rollout. A restart does not disturb running
   * GPU pods (allocations live in kubelet's checkpoint), so a large building need not go one by one.
   * @default - "10%"
   */
  readonly maxUnavailable?: string;
}

/** Where a physical pool gets its device plugin: a named config and a DaemonSet on exactly its nodes. */
export interface IDevicePluginHost {
  addPool(slice: ClusterPoolSlice): DaemonSetV1;
}

/** The DaemonSet of one pool: `nvidia-device-plugin-<building>-<pool>`. */
export function devicePluginDaemonSetName(slice: Pick<ClusterPoolSlice, "name">): string {
  return `${NAMES.devicePluginApp}-${slice.name}`;
}

const DEFAULT_RESOURCES: ContainerResources = {
  requestCpuMillis: 50,
  requestMemoryMiB: 64,
  limitCpuMillis: 500,
  limitMemoryMiB: 256,
};

/** Mount point of the pool's config inside the container; the plugin reads it through CONFIG_FILE. */
const CONFIG_DIR = "/etc/nvidia-device-plugin";
const CONFIG_FILE = "config.yaml";

/**
 * The device plugin's config file for one pool (NVIDIA/k8s-device-plugin README, "As a
 * configuration file"; sharing: "Shared Access to GPUs").
 */
export function devicePluginConfig(spec: PoolPlan["devicePlugin"]): Record<string, unknown> {
  const config: Record<string, unknown> = {
    version: NVIDIA_DEVICE_PLUGIN.configVersion,
    flags: { migStrategy: spec.migStrategy, plugin: { deviceListStrategy: spec.deviceListStrategy } },
  };
  if (spec.sharing) {
    config.sharing = {
      [spec.sharing.strategy]: {
        renameByDefault: spec.sharing.renameByDefault,
        resources: [{ name: GPU_RESOURCE, replicas: spec.sharing.replicas }],
      },
    };
  }
  return config;
}

/**
 * The NVIDIA device plugin as upstream's static manifest runs it, one DaemonSet per pool:
 * a namespace (Pod Security `privileged`, because the plugin needs one hostPath), a ServiceAccount
 * that mounts no token (the plugin talks to kubelet's socket, not to the API), and one ConfigMap
 * of named configs keyed by the pool's `nvidia.com/device-plugin.config` node-label value.
 * Each pool's DaemonSet mounts only its own key, so a node runs the config its label names without
 * giving the plugin API access (the upstream config-manager sidecar would need a token to read labels).
 */
export class NvidiaDevicePlugin extends Construct implements IDevicePluginHost {
  readonly namespaceName: string;
  readonly serviceAccountName: string;
  readonly configMapName: string;
  readonly image: string;
  private readonly props: NvidiaDevicePluginProps;
  private readonly configMap: ConfigMapV1;
  private readonly configs: Record<string, string> = {};
  private readonly daemonSets = new Map<string, DaemonSetV1>();
  private readonly selectors: PoolSelection[] = [];

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps) {
    super(scope, id);
    this.props = props;
    this.image = props.image ?? NVIDIA_DEVICE_PLUGIN_IMAGE;
    const labels = managedLabels("gpu-device-plugin");

    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.namespace ?? NAMES.devicePluginNamespace,
        labels: { ...labels, ...podSecurityLabels(props.kubernetesVersion, "privileged", "baseline") },
        annotations: {
          [justificationAnnotation("pod-security-privileged")]:
            `the NVIDIA device plugin mounts hostPath ${NVIDIA_DEVICE_PLUGIN.kubeletSocketDir} to register with kubelet; ` +
            "baseline forbids every hostPath. Nothing else runs in this namespace.",
        },
      },
    });
    this.namespaceName = namespace.metadata.name;

    const serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name: NAMES.devicePluginServiceAccount, namespace: this.namespaceName, labels },
      automountServiceAccountToken: false,
    });
    this.serviceAccountName = serviceAccount.metadata.name;

    this.configMap = new ConfigMapV1(this, "configs", {
      metadata: { name: NAMES.devicePluginConfigMap, namespace: this.namespaceName, labels },
      // Rendered at synth: adding a pool adds a key, it never rewrites the map.
      data: Lazy.anyValue({ produce: () => ({ ...this.configs }) }) as unknown as Record<string, string>,
    });
    this.configMapName = this.configMap.metadata.name;

    this.node.addValidation({
      validate: () =>
        this.daemonSets.size === 0
          ? [`${this.node.path}: the NVIDIA device plugin has no pool to run on`]
          : sameSelectorErrors(this.selectors),
    });
  }

  /** The named configs, keyed by node-label value, as the ConfigMap holds them. */
  get namedConfigs(): Readonly<Record<string, string>> {
    return { ...this.configs };
  }

  /** Adds the pool's named config and a DaemonSet that runs the plugin on exactly the pool's nodes. */
  addPool(slice: ClusterPoolSlice): DaemonSetV1 {
    const { pool, selector: nodeSelector } = slice;
    const key = pool.devicePluginConfigName;
    if (key in this.configs) throw new Error(`device plugin config "${key}" (pool ${slice.name}) is added twice`);
    const configYaml = stringify(devicePluginConfig(pool.devicePlugin));
    this.configs[key] = configYaml;
    this.warnAbout(slice);

    const resources = this.props.resources ?? DEFAULT_RESOURCES;
    const podLabels = { [APP_LABEL.name]: NAMES.devicePluginApp, [APP_LABEL.instance]: slice.name };
    const socketVolume = "kubelet-device-plugins-dir";
    const configVolume = "plugin-config";
    const daemonSet = new DaemonSetV1(this, `daemonset-${slice.name}`, {
      metadata: {
        name: devicePluginDaemonSetName(slice),
        namespace: this.namespaceName,
        labels: { ...managedLabels("gpu-device-plugin"), ...podLabels },
        annotations: {
          [justificationAnnotation("run-as-root")]:
            `creates its socket in ${NVIDIA_DEVICE_PLUGIN.kubeletSocketDir}, a root-owned kubelet directory`,
          [justificationAnnotation("writable-root-filesystem")]:
            "upstream's static manifest (deployments/static/nvidia-device-plugin.yml) leaves the root filesystem writable; read-only is not yet proven on GB200 nodes",
        },
      },
      // A rollout across thousands of nodes is watched by operators, not by a Terraform apply.
      waitForRollout: false,
      spec: {
        selector: { matchLabels: podLabels },
        strategy: {
          type: "RollingUpdate",
          // No surge: two plugin pods on one node would fight over the kubelet socket.
          rollingUpdate: { maxSurge: "0", maxUnavailable: this.props.maxUnavailable ?? "10%" },
        },
        template: {
          metadata: {
            labels: podLabels,
            // A changed config is read only at start: the hash rolls the pods when it changes.
            annotations: { [CONFIG_HASH_ANNOTATION]: createHash("sha256").update(configYaml).digest("hex") },
          },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            priorityClassName: NAMES.nodeCriticalPriorityClass,
            toleration: [{ ...GPU_TOLERATION }],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerm: [
                    {
                      matchExpressions: Object.entries(nodeSelector).map(([labelKey, value]) => ({
                        key: labelKey,
                        operator: "In",
                        values: [value],
                      })),
                    },
                  ],
                },
              },
            },
            securityContext: { seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: NVIDIA_DEVICE_PLUGIN.containerName,
                image: this.image,
                env: [
                  { name: "FAIL_ON_INIT_ERROR", value: "false" },
                  { name: "CONFIG_FILE", value: `${CONFIG_DIR}/${CONFIG_FILE}` },
                ],
                resources: containerResources(resources),
                securityContext: {
                  privileged: false,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                volumeMount: [
                  { name: socketVolume, mountPath: NVIDIA_DEVICE_PLUGIN.kubeletSocketDir },
                  { name: configVolume, mountPath: CONFIG_DIR, readOnly: true },
                ],
              },
            ],
            volume: [
              { name: socketVolume, hostPath: { path: NVIDIA_DEVICE_PLUGIN.kubeletSocketDir, type: "Directory" } },
              { name: configVolume, configMap: { name: this.configMapName, items: [{ key, path: CONFIG_FILE }] } },
            ],
          },
        },
      },
    });
    this.daemonSets.set(key, daemonSet);
    this.selectors.push({ name: slice.name, selector: nodeSelector });
    return daemonSet;
  }

  private warnAbout(slice: ClusterPoolSlice): void {
    const { sharing, deviceListStrategy } = slice.pool.devicePlugin;
    if (sharing?.strategy === "mps") {
      Annotations.of(this).addWarning(
        `[gpu-pool:mps-control-daemon] pool ${slice.name} shares GPUs with MPS: it also needs NVIDIA's MPS ` +
          "control daemon on its nodes, which this construct does not deploy",
      );
    }
    if (deviceListStrategy === "cdi-annotations" || deviceListStrategy === "cdi-cri") {
      Annotations.of(this).addWarning(
        `[gpu-pool:cdi-specs] pool ${slice.name} uses deviceListStrategy ${deviceListStrategy}: the CDI specs must ` +
          "be generated on the host (nvidia-ctk cdi generate); the plugin mounts no host path but the kubelet socket",
      );
    }
  }
}
