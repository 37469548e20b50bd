import type {
  DaemonSetV1Config,
  DaemonSetV1SpecStrategyRollingUpdate,
  DaemonSetV1SpecTemplateSpec,
} from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import type { ClusterPoolSlice } from "../plan/plan-types.js";
import { APP_LABEL, GPU_TOLERATION, managedLabels, NAMES } from "../vocabulary/names.js";
import { nodeAffinityFor } from "./node-affinity.js";

/** What sets one node agent's pods apart: host namespaces, containers and volumes. */
export type NodeAgentPod = Pick<
  DaemonSetV1SpecTemplateSpec,
  "hostNetwork" | "hostPid" | "initContainer" | "container" | "volume"
>;

export interface NodeAgentDaemonSetProps {
  /** The pool slice whose nodes run the agent: one pod on each, none elsewhere. */
  readonly slice: ClusterPoolSlice;
  /** The DaemonSet's name (each construct's `…Name(slice)`). */
  readonly name: string;
  readonly namespace: string;
  /** `app.kubernetes.io/name` of the pods; with the slice's name as `app.kubernetes.io/instance` it selects them. */
  readonly app: string;
  /** `app.kubernetes.io/component` of the DaemonSet (managedLabels). */
  readonly component: string;
  /** One justification annotation per exception the policy pack would flag, saying why. */
  readonly justifications: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
  /** Mount an API token: only for agents that talk to the API server. */
  readonly automountServiceAccountToken: boolean;
  /** @default - none: the nodes' default runtime must be nvidia */
  readonly runtimeClassName?: string;
  /** Labels a node must carry to run the agent. @default - the slice's selector */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** @default - { maxUnavailable: "10%" } */
  readonly rollingUpdate?: DaemonSetV1SpecStrategyRollingUpdate;
  /** Pod template annotations (a config hash that rolls the pods). @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  readonly pod: NodeAgentPod;
}

/** A privileged container that keeps the runtime's default seccomp profile. */
export const PRIVILEGED_CONTAINER = { privileged: true, seccompProfile: { type: "RuntimeDefault" } };

/**
 * The DaemonSet of one campus node agent on exactly one pool slice's nodes (device plugin, MPS
 * control daemon, GPU feature discovery, DCGM exporter, RDMA device plugin, DRA kubelet plugin).
 * The head every agent shares is written here once: labels and selector from the app and the slice,
 * `system-node-critical` priority, the GPU taint tolerated, node affinity for the slice's selector,
 * the RuntimeDefault seccomp profile, a rolling update of 10 % at a time, no wait for the rollout.
 * What sets an agent apart (token, runtime class, host namespaces, containers) stays at its call.
 */
export function nodeAgentDaemonSet(props: NodeAgentDaemonSetProps): DaemonSetV1Config {
  const podLabels = { [APP_LABEL.name]: props.app, [APP_LABEL.instance]: props.slice.name };
  return {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: { ...managedLabels(props.component), ...podLabels },
      annotations: { ...props.justifications },
    },
    // A rollout across thousands of nodes is watched by operators, not by a Terraform apply.
    waitForRollout: false,
    spec: {
      selector: { matchLabels: podLabels },
      strategy: { type: "RollingUpdate", rollingUpdate: props.rollingUpdate ?? { maxUnavailable: "10%" } },
      template: {
        metadata: { labels: podLabels, ...(props.podAnnotations && { annotations: { ...props.podAnnotations } }) },
        spec: {
          serviceAccountName: props.serviceAccountName,
          automountServiceAccountToken: props.automountServiceAccountToken,
          ...(props.runtimeClassName && { runtimeClassName: props.runtimeClassName }),
          priorityClassName: NAMES.nodeCriticalPriorityClass,
          toleration: [{ ...GPU_TOLERATION }],
          affinity: nodeAffinityFor(props.nodeLabels ?? props.slice.selector),
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          ...props.pod,
        },
      },
    },
  };
}
