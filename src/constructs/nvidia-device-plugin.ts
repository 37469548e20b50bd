import { createHash } from "node:crypto";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { NVIDIA_DEVICE_PLUGIN, NVIDIA_DEVICE_PLUGIN_IMAGE } from "../catalog/nvidia-device-plugin.js";
import type { ClusterPoolSlice, PoolPlan } from "../plan/plan-types.js";
import { GPU_RESOURCE } from "../vocabulary/labels.js";
import {
  CONFIG_HASH_ANNOTATION,
  justificationAnnotation,
  managedLabels,
  NAMES,
  podSecurityLabels,
} from "../vocabulary/names.js";
import { type ContainerResources, containerResources } from "./container-resources.js";
import { MpsControlDaemon } from "./mps-control-daemon.js";
import { nodeAgentDaemonSet } from "./node-agent-daemonset.js";
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
  /**
   * The RuntimeClass the plugin's pods run under, so the NVIDIA Container Toolkit gives them NVML
   * (upstream chart value `runtimeClassName`, "typical value is 'nvidia'"; README Quick Start).
   * @default - none: the nodes' default runtime must be nvidia
   */
  readonly runtimeClassName?: string;
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

/** A hostPath the plugin mounts for one pool's config. */
interface HostMount {
  readonly name: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly type?: string;
}

/** What a pool's config needs of the node beyond kubelet's socket directory, and why. */
export interface DevicePluginHostAccess {
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly mounts: readonly HostMount[];
  readonly capabilities: readonly string[];
  /** Justification annotations for the policy pack: one per exception, saying why. */
  readonly justifications: Readonly<Record<string, string>>;
}

const CDI_STRATEGIES: readonly string[] = ["cdi-annotations", "cdi-cri"];

/**
 * Host access per config, as upstream's chart grants it (NVIDIA/k8s-device-plugin v0.20.0,
 * deployments/helm/nvidia-device-plugin/templates/daemonset-device-plugin.yml and _helpers.tpl):
 * - MPS: the MPS root `/run/nvidia/mps` at /mps and its shm at /dev/shm, and `MPS_ROOT` (the
 *   `--mps-root` flag's variable; without it the plugin exits "using MPS requires --mps-root");
 * - CDI strategies: `/var/run/cdi`, where the plugin writes its CDI specs (internal/cdi/cdi.go);
 * - MIG (strategy ≠ none) or the `volume-mounts` list strategy: SYS_ADMIN (`requiresCapSysAdmin`;
 *   CHANGELOG v0.17.0-rc.1 "Add CAP_SYS_ADMIN if volume-mounts list strategy is included").
 * The chart also adds SYS_ADMIN whenever any config ConfigMap is used (a short-circuit in the
 * helper, not a need of the config); the campus adds it only where MIG or volume-mounts needs it.
 */
export function devicePluginHostAccess(spec: PoolPlan["devicePlugin"]): DevicePluginHostAccess {
  const env: { name: string; value: string }[] = [];
  const mounts: HostMount[] = [];
  const capabilities: string[] = [];
  const paths: string[] = [];
  const justifications: Record<string, string> = {};
  if (spec.sharing?.strategy === "mps") {
    const root = NVIDIA_DEVICE_PLUGIN.mpsRoot;
    env.push({ name: "MPS_ROOT", value: root });
    mounts.push({ name: "mps-root", hostPath: root, mountPath: "/mps", type: "DirectoryOrCreate" });
    mounts.push({ name: "mps-shm", hostPath: `${root}/shm`, mountPath: "/dev/shm" });
    paths.push(`${root} (the MPS control daemon's pipes and shm, which the plugin health-checks)`);
  }
  if (CDI_STRATEGIES.includes(spec.deviceListStrategy)) {
    const cdi = NVIDIA_DEVICE_PLUGIN.cdiRoot;
    mounts.push({ name: "cdi-root", hostPath: cdi, mountPath: cdi, type: "DirectoryOrCreate" });
    paths.push(`${cdi} (the plugin writes the CDI specs the container runtime resolves)`);
  }
  if (paths.length > 0) justifications[justificationAnnotation("host-path")] = `mounts ${paths.join(" and ")}`;
  const reasons: string[] = [];
  if (spec.migStrategy !== "none") reasons.push(`MIG strategy ${spec.migStrategy} (the plugin monitors MIG devices)`);
  if (spec.deviceListStrategy === "volume-mounts") reasons.push("the volume-mounts device list strategy");
  if (reasons.length > 0) {
    capabilities.push("SYS_ADMIN");
    justifications[justificationAnnotation("added-capabilities")] =
      `SYS_ADMIN for ${reasons.join(" and ")}, as upstream's chart adds it (_helpers.tpl requiresCapSysAdmin)`;
  }
  return { env, mounts, capabilities, justifications };
}

/**
 * The NVIDIA device plugin as upstream's static manifest runs it, one DaemonSet per pool:
 * a namespace (Pod Security `privileged`, because the plugin needs one hostPath), a ServiceAccount
 * that mounts no token (the plugin talks to kubelet's socket, not to the API), and one ConfigMap
 * of named configs keyed by the pool's `nvidia.com/device-plugin.config` node-label value.
 * Each pool's DaemonSet mounts only its own key, so a node runs the config its label names without
 * giving the plugin API access (the upstream config-manager sidecar would need a token to read labels).
 * What a config needs beyond kubelet's socket (MPS root and the MPS control daemon, the CDI
 * directory, SYS_ADMIN) is added per pool as upstream's Helm chart adds it (devicePluginHostAccess).
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
  /** The MPS control daemon DaemonSet of each MPS pool. */
  readonly mpsControlDaemons: DaemonSetV1[] = [];

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
    const { pool } = slice;
    const key = pool.devicePluginConfigName;
    if (key in this.configs) throw new Error(`device plugin config "${key}" (pool ${slice.name}) is added twice`);
    const configYaml = stringify(devicePluginConfig(pool.devicePlugin));
    this.configs[key] = configYaml;
    const host = devicePluginHostAccess(pool.devicePlugin);

    const resources = this.props.resources ?? DEFAULT_RESOURCES;
    const socketVolume = "kubelet-device-plugins-dir";
    const configVolume = "plugin-config";
    const configHash = createHash("sha256").update(configYaml).digest("hex");
    const daemonSet = new DaemonSetV1(
      this,
      `daemonset-${slice.name}`,
      nodeAgentDaemonSet({
        slice,
        name: devicePluginDaemonSetName(slice),
        namespace: this.namespaceName,
        app: NAMES.devicePluginApp,
        component: "gpu-device-plugin",
        justifications: {
          [justificationAnnotation("run-as-root")]:
            `creates its socket in ${NVIDIA_DEVICE_PLUGIN.kubeletSocketDir}, a root-owned kubelet directory`,
          [justificationAnnotation("writable-root-filesystem")]:
            "upstream's static manifest (deployments/static/nvidia-device-plugin.yml) leaves the root filesystem writable; read-only is not yet proven on GB200 nodes",
          ...host.justifications,
        },
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: false,
        runtimeClassName: this.props.runtimeClassName,
        // No surge: two plugin pods on one node would fight over the kubelet socket.
        rollingUpdate: { maxSurge: "0", maxUnavailable: this.props.maxUnavailable ?? "10%" },
        // A changed config is read only at start: the hash rolls the pods when it changes.
        podAnnotations: { [CONFIG_HASH_ANNOTATION]: configHash },
        pod: {
          container: [
            {
              name: NVIDIA_DEVICE_PLUGIN.containerName,
              image: this.image,
              // FAIL_ON_INIT_ERROR is left at its default, true: a GPU that fails to initialise
              // fails the pod instead of being silently ignored (NVIDIA/k8s-device-plugin commit
              // b3d00543, "Remove FAIL_ON_INIT_ERROR from static examples", first in v0.18.0).
              env: [
                { name: "CONFIG_FILE", value: `${CONFIG_DIR}/${CONFIG_FILE}` },
                // What the chart always sets, so the nvidia runtime hands the plugin NVML
                // (templates/daemonset-device-plugin.yml).
                { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
                { name: "NVIDIA_DRIVER_CAPABILITIES", value: "compute,utility" },
                ...host.env,
              ],
              resources: containerResources(resources),
              securityContext: {
                privileged: false,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"], ...(host.capabilities.length > 0 && { add: [...host.capabilities] }) },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMount: [
                { name: socketVolume, mountPath: NVIDIA_DEVICE_PLUGIN.kubeletSocketDir },
                { name: configVolume, mountPath: CONFIG_DIR, readOnly: true },
                ...host.mounts.map((m) => ({ name: m.name, mountPath: m.mountPath })),
              ],
            },
          ],
          volume: [
            { name: socketVolume, hostPath: { path: NVIDIA_DEVICE_PLUGIN.kubeletSocketDir, type: "Directory" } },
            { name: configVolume, configMap: { name: this.configMapName, items: [{ key, path: CONFIG_FILE }] } },
            ...host.mounts.map((m) => ({
              name: m.name,
              hostPath: { path: m.hostPath, ...(m.type && { type: m.type }) },
            })),
          ],
        },
      }),
    );
    this.daemonSets.set(key, daemonSet);
    this.selectors.push({ name: slice.name, selector: slice.selector });
    if (pool.devicePlugin.sharing?.strategy === "mps") {
      const mps = new MpsControlDaemon(this, `mps-${slice.name}`, {
        slice,
        namespace: this.namespaceName,
        serviceAccountName: this.serviceAccountName,
        image: this.image,
        configMapName: this.configMapName,
        configKey: key,
        configHash,
        runtimeClassName: this.props.runtimeClassName,
      });
      this.mpsControlDaemons.push(mps.daemonSet);
    }
    return daemonSet;
  }
}
