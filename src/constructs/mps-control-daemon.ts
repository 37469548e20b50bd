import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { Construct } from "constructs";
import { NVIDIA_DEVICE_PLUGIN } from "../catalog/nvidia-device-plugin.js";
import type { ClusterPoolSlice } from "../plan/plan-types.js";
import { GFD_LABEL } from "../vocabulary/labels.js";
import { CONFIG_HASH_ANNOTATION, justificationAnnotation, NAMES } from "../vocabulary/names.js";
import { nodeAgentDaemonSet, PRIVILEGED_CONTAINER } from "./node-agent-daemonset.js";
import { fieldEnv } from "./pod-field-env.js";

export interface MpsControlDaemonProps {
  /** The MPS pool: its daemon runs on exactly the pool's nodes that GFD labels MPS-capable. */
  readonly slice: ClusterPoolSlice;
  /** The device plugin's namespace (Pod Security `privileged`). */
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The device plugin image: it carries the `mps-control-daemon` binary. */
  readonly image: string;
  /** The device plugin's ConfigMap and the pool's key in it: the daemon reads the same sharing config. */
  readonly configMapName: string;
  readonly configKey: string;
  /** Hash of the pool's config: a changed config restarts the daemon with the plugin. */
  readonly configHash: string;
  /** @default - none: the nodes' default runtime must be nvidia */
  readonly runtimeClassName?: string;
}

/** `nvidia-mps-control-daemon-<building>-<pool>`. */
export function mpsControlDaemonName(slice: Pick<ClusterPoolSlice, "name">): string {
  return `${NAMES.mpsControlDaemonApp}-${slice.name}`;
}

const CONFIG_DIR = "/etc/nvidia-device-plugin";

/**
 * NVIDIA's MPS control daemon for one MPS pool, as upstream's chart deploys it
 * (NVIDIA/k8s-device-plugin v0.20.0 templates/daemonset-mps-control-daemon.yml): the plugin's image
 * run as `mps-control-daemon`, hostPID (values.yaml: "hostPID is needed for the MPS server to find its
 * own PID via /proc/self"), a privileged init container that mounts the daemon's shm under the MPS
 * root with Bidirectional propagation (`mps-control-daemon mount-shm`), and a privileged daemon.
 * It lands only on nodes labelled `nvidia.com/mps.capable=true`, which GPU feature discovery sets
 * when the node's config shares with MPS and no GPU is in MIG mode.
 */
export class MpsControlDaemon extends Construct {
  readonly daemonSet: DaemonSetV1;

  constructor(scope: Construct, id: string, props: MpsControlDaemonProps) {
    super(scope, id);
    const { slice } = props;
    const root = NVIDIA_DEVICE_PLUGIN.mpsRoot;
    this.daemonSet = new DaemonSetV1(
      this,
      "daemonset",
      nodeAgentDaemonSet({
        slice,
        name: mpsControlDaemonName(slice),
        namespace: props.namespace,
        app: NAMES.mpsControlDaemonApp,
        component: "gpu-device-plugin",
        justifications: {
          [justificationAnnotation("privileged-container")]:
            "the MPS control daemon starts the MPS server for every GPU of the node and mounts its shm under " +
            `${root} with Bidirectional propagation; upstream's chart runs both containers privileged`,
          [justificationAnnotation("host-namespaces")]:
            "hostPID: the MPS server finds its own PID through /proc/self (upstream values.yaml mps.enableHostPID)",
          [justificationAnnotation("host-path")]: `mounts ${root}, the MPS root the device plugin hands to GPU pods`,
          [justificationAnnotation("run-as-root")]: `creates pipes and shm under ${root}, a root-owned host directory`,
          [justificationAnnotation("writable-root-filesystem")]:
            "upstream's chart leaves the root filesystem writable; the daemon writes its logs there",
          [justificationAnnotation("added-capabilities")]:
            "privileged (see the privileged-container justification); it drops no capabilities",
        },
        serviceAccountName: props.serviceAccountName,
        automountServiceAccountToken: false,
        runtimeClassName: props.runtimeClassName,
        nodeLabels: { ...slice.selector, [GFD_LABEL.mpsCapable]: "true" },
        podAnnotations: { [CONFIG_HASH_ANNOTATION]: props.configHash },
        pod: {
          hostPid: true,
          initContainer: [
            {
              name: "mps-control-daemon-mounts",
              image: props.image,
              command: [NVIDIA_DEVICE_PLUGIN.mpsControlDaemonCommand, "mount-shm"],
              securityContext: PRIVILEGED_CONTAINER,
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
              volumeMount: [{ name: "mps-root", mountPath: "/mps", mountPropagation: "Bidirectional" }],
            },
          ],
          container: [
            {
              name: "mps-control-daemon-ctr",
              image: props.image,
              command: [NVIDIA_DEVICE_PLUGIN.mpsControlDaemonCommand],
              env: [
                fieldEnv("NODE_NAME", "spec.nodeName"),
                { name: "CONFIG_FILE", value: `${CONFIG_DIR}/config.yaml` },
                { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
                { name: "NVIDIA_DRIVER_CAPABILITIES", value: "compute,utility" },
              ],
              securityContext: PRIVILEGED_CONTAINER,
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
              volumeMount: [
                { name: "mps-shm", mountPath: "/dev/shm" },
                { name: "mps-root", mountPath: "/mps" },
                { name: "plugin-config", mountPath: CONFIG_DIR, readOnly: true },
              ],
            },
          ],
          volume: [
            { name: "mps-root", hostPath: { path: root, type: "DirectoryOrCreate" } },
            { name: "mps-shm", hostPath: { path: `${root}/shm` } },
            {
              name: "plugin-config",
              configMap: { name: props.configMapName, items: [{ key: props.configKey, path: "config.yaml" }] },
            },
          ],
        },
      }),
    );
  }
}
