import { stringify } from "yaml";

/**
 * kwok as the twin's kubelets: it manages the nodes carrying KWOK_NODE_ANNOTATION (keeps them
 * Ready and their leases renewed) and the pods bound to them (Running at once, removed when
 * deleted). The standalone `kwok` binary has no built-in stages, only what --config holds
 * (kubernetes-sigs/kwok site/content/en/docs/user/stages-configuration.md, v0.8.0).
 */
export const KWOK_NODE_ANNOTATION = { key: "kwok.x-k8s.io/node", value: "fake" } as const;

const stage = (name: string, kind: string, spec: Record<string, unknown>) => ({
  apiVersion: "kwok.x-k8s.io/v1alpha1",
  kind: "Stage",
  metadata: { name },
  spec: { resourceRef: { apiGroup: "v1", kind }, ...spec },
});

const NODE_READY = `{{ $now := Now }}
conditions:
{{ range NodeConditions }}
- type: {{ .type | Quote }}
  status: {{ .status | Quote }}
  reason: {{ .reason | Quote }}
  message: {{ .message | Quote }}
  lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
addresses:
- type: InternalIP
  address: {{ NodeIP | Quote }}
- type: Hostname
  address: {{ .metadata.name | Quote }}
allocatable:
{{ YAML .status.allocatable 1 }}
capacity:
{{ YAML .status.capacity 1 }}
nodeInfo:
  architecture: {{ or .status.nodeInfo.architecture "arm64" }}
  operatingSystem: linux
  kubeletVersion: {{ printf "kwok-%s" Version | Quote }}
phase: Running
`;

const POD_RUNNING = `{{ $now := Now }}
phase: Running
startTime: {{ $now | Quote }}
conditions:
- type: Initialized
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: ContainersReady
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: true
  started: true
  restartCount: 0
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
{{ with NodeIPWith .spec.nodeName }}
hostIP: {{ . | Quote }}
{{ end }}
`;

/** The Stage documents kwok is started with (one YAML stream). */
export function kwokStages(): string {
  const readyStatus = `.status.conditions.[] | select( .type == "Ready" ) | .status`;
  return [
    stage("twin-node-ready", "Node", {
      selector: { matchExpressions: [{ key: readyStatus, operator: "NotIn", values: ["True"] }] },
      next: { statusTemplate: NODE_READY },
    }),
    stage("twin-pod-running", "Pod", {
      selector: {
        matchExpressions: [
          { key: ".metadata.deletionTimestamp", operator: "DoesNotExist" },
          { key: ".status.phase", operator: "In", values: ["Pending"] },
          { key: ".spec.nodeName", operator: "Exists" },
        ],
      },
      next: { statusTemplate: POD_RUNNING },
    }),
    stage("twin-pod-delete", "Pod", {
      selector: { matchExpressions: [{ key: ".metadata.deletionTimestamp", operator: "Exists" }] },
      next: { delete: true },
    }),
  ]
    .map((doc) => stringify(doc))
    .join("---\n");
}

/** kwok's flags: only annotated nodes, leases renewed (the liveness signal), pods get IPs from a private range. */
export function kwokArgs(kubeconfig: string, configPath: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--config=${configPath}`,
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
    "--node-lease-duration-seconds=40",
    "--cidr=10.128.0.0/14",
    "--node-ip=10.255.0.1",
    "--v=WARN",
  ];
}
