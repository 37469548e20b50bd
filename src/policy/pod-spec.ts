import {
  block,
  blocks,
  bool,
  type Dict,
  field,
  kindOf,
  manifestOf,
  metadataOf,
  str,
  stringMap,
  strings,
} from "../terraform-json/kubernetes-object.js";
import {
  NOT_APPLICABLE,
  type PolicyContext,
  type RuleResult,
  type SynthesizedResource,
  verdict,
} from "./policy-rule.js";

/**
 * The pod template of a workload, normalized from either shape (provider blocks or manifest), so
 * the container rules read one structure. Source for the field names: Kubernetes API reference
 * (PodSpec, SecurityContext, PodSecurityContext) and hashicorp/kubernetes `kubernetes_pod_v1` docs.
 */

export interface SecurityView {
  readonly runAsNonRoot: boolean | undefined;
  /** Literal UID; undefined when unset or an expression. */
  readonly runAsUser: number | undefined;
  readonly seccompProfileType: string | undefined;
}

export interface ContainerView extends SecurityView {
  readonly name: string;
  readonly role: "container" | "init container";
  readonly image: string | undefined;
  readonly privileged: boolean | undefined;
  readonly allowPrivilegeEscalation: boolean | undefined;
  readonly capabilitiesAdd: readonly string[];
  readonly capabilitiesDrop: readonly string[];
  readonly readOnlyRootFilesystem: boolean | undefined;
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
}

export interface VolumeView {
  readonly name: string;
  readonly hostPath: string | undefined;
}

export interface PodView {
  /** What the pod belongs to, for messages: `DaemonSet gpu-campus-system/nvidia-device-plugin`. */
  readonly owner: string;
  readonly hostNetwork: boolean | undefined;
  readonly hostPID: boolean | undefined;
  readonly hostIPC: boolean | undefined;
  readonly automountServiceAccountToken: boolean | undefined;
  readonly serviceAccountName: string | undefined;
  /** Pod-level securityContext: containers inherit runAsNonRoot, runAsUser and seccompProfile. */
  readonly securityContext: SecurityView;
  readonly containers: readonly ContainerView[];
  readonly volumes: readonly VolumeView[];
}

const WORKLOAD_KINDS = new Set([
  "Pod",
  "PodTemplate",
  "Deployment",
  "DaemonSet",
  "StatefulSet",
  "ReplicaSet",
  "ReplicationController",
  "Job",
  "CronJob",
]);

/** The PodSpec a workload runs, or undefined when the resource is not a workload. */
function podSpecDict(resource: SynthesizedResource): Dict | undefined {
  const kind = kindOf(resource);
  if (kind === undefined || !WORKLOAD_KINDS.has(kind)) return undefined;
  const root = manifestOf(resource) ?? resource.config;
  if (kind === "PodTemplate") return block(block(root.template)?.spec);
  const spec = block(root.spec);
  if (kind === "Pod") return spec;
  if (kind === "CronJob") {
    const jobSpec = block(block(field(spec, "jobTemplate", "job_template"))?.spec);
    return block(block(jobSpec?.template)?.spec);
  }
  return block(block(spec?.template)?.spec);
}

function uid(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function securityView(context: Dict | undefined): SecurityView {
  return {
    runAsNonRoot: bool(field(context, "runAsNonRoot", "run_as_non_root")),
    runAsUser: uid(field(context, "runAsUser", "run_as_user")),
    seccompProfileType: str(block(field(context, "seccompProfile", "seccomp_profile"))?.type),
  };
}

function containerView(container: Dict, role: ContainerView["role"]): ContainerView {
  const context = block(field(container, "securityContext", "security_context"));
  const capabilities = block(context?.capabilities);
  const resources = block(container.resources);
  return {
    ...securityView(context),
    name: str(container.name) ?? "?",
    role,
    image: str(container.image),
    privileged: bool(context?.privileged),
    allowPrivilegeEscalation: bool(field(context, "allowPrivilegeEscalation", "allow_privilege_escalation")),
    capabilitiesAdd: strings(capabilities?.add),
    capabilitiesDrop: strings(capabilities?.drop),
    readOnlyRootFilesystem: bool(field(context, "readOnlyRootFilesystem", "read_only_root_filesystem")),
    requests: stringMap(resources?.requests),
    limits: stringMap(resources?.limits),
  };
}

export function podOf(resource: SynthesizedResource): PodView | undefined {
  const spec = podSpecDict(resource);
  if (!spec) return undefined;
  const meta = metadataOf(resource);
  const owner = `${kindOf(resource)} ${meta.namespace ? `${meta.namespace}/` : ""}${meta.name ?? "?"}`;
  return {
    owner,
    hostNetwork: bool(field(spec, "hostNetwork", "host_network")),
    hostPID: bool(field(spec, "hostPID", "host_pid")),
    hostIPC: bool(field(spec, "hostIPC", "host_ipc")),
    automountServiceAccountToken: bool(field(spec, "automountServiceAccountToken", "automount_service_account_token")),
    serviceAccountName: str(field(spec, "serviceAccountName", "service_account_name")),
    securityContext: securityView(block(field(spec, "securityContext", "security_context"))),
    containers: [
      ...blocks(field(spec, "initContainers", "init_container")).map((c) => containerView(c, "init container")),
      ...blocks(field(spec, "containers", "container")).map((c) => containerView(c, "container")),
    ],
    volumes: blocks(field(spec, "volumes", "volume")).map((v) => ({
      name: str(v.name) ?? "?",
      hostPath: str(block(field(v, "hostPath", "host_path"))?.path),
    })),
  };
}

/** A container's effective setting: its own securityContext wins over the pod's. */
export function effective<K extends keyof SecurityView>(
  pod: PodView,
  container: ContainerView,
  key: K,
): SecurityView[K] {
  return container[key] ?? pod.securityContext[key];
}

/** `container "nvidia-device-plugin"` / `init container "setup"`, for messages. */
export function describeContainer(container: ContainerView): string {
  return `${container.role} "${container.name}"`;
}

/**
 * Runs a per-container check over a workload: not applicable to anything without a pod template,
 * non-compliant with one reason per offending container.
 */
export function checkContainers(
  resource: SynthesizedResource,
  check: (container: ContainerView, pod: PodView) => string | undefined,
): RuleResult {
  const pod = podOf(resource);
  if (!pod) return NOT_APPLICABLE;
  const reasons = pod.containers.flatMap((container) => {
    const problem = check(container, pod);
    return problem === undefined ? [] : [`${pod.owner}: ${describeContainer(container)} ${problem}`];
  });
  return verdict(reasons);
}

/**
 * A node agent's exception may be justified on the object only in a GPU system namespace (the
 * device plugin's, the DRA driver's, telemetry's, the RDMA plugin's): anywhere else, such as a
 * tenant namespace, the finding stands whatever the annotation says.
 */
export function justifiableInSystemNamespace(
  result: RuleResult,
  resource: SynthesizedResource,
  context: Pick<PolicyContext, "gpuSystemNamespaces">,
): RuleResult {
  if (result.status !== "non-compliant") return result;
  const namespace = metadataOf(resource).namespace;
  return namespace !== undefined && context.gpuSystemNamespaces.has(namespace)
    ? result
    : { ...result, justifiable: false };
}
