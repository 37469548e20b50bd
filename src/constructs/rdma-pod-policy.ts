import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { RDMA_CAPABILITY } from "../catalog/sriov-network-device-plugin.js";
import { ADMISSION_API_VERSION } from "../vocabulary/api-versions.js";
import { GPU_RESOURCE } from "../vocabulary/labels.js";
import { managedLabels, NAMES, RDMA_TENANT_LABEL } from "../vocabulary/names.js";
import { managedManifest } from "./managed-manifest.js";

export interface RdmaPodPolicyProps {
  /** The rails' RDMA resources (`gpu-campus.io/rail0` …): the only extended resources besides GPUs. */
  readonly railResources: readonly string[];
  /** @default - "gpu-campus", without forcing conflicts */
  readonly fieldManager?: string;
}

/** The CEL list of a pod's containers of one kind (`containers`, `initContainers`, `ephemeralContainers`). */
const kinds = ["containers", "initContainers", "ephemeralContainers"] as const;
const each = (kind: (typeof kinds)[number], condition: string) =>
  kind === "containers"
    ? `object.spec.containers.all(c, ${condition})`
    : `!has(object.spec.${kind}) || object.spec.${kind}.all(c, ${condition})`;
const celList = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(", ")}]`;

/**
 * What an RDMA tenant's pods may do beyond Pod Security `restricted`, enforced by the API server:
 * a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA in 1.30) and a binding that
 * selects namespaces labelled `gpu-campus.io/rdma=true`. Pods there may add exactly IPC_LOCK
 * (RDMA memory registration pins pages: sriov-network-device-plugin docs/rdma/README.md) and must
 * drop ALL; no privileged container, no privilege escalation, no host namespaces, no hostPath, and
 * no extended resources but GPUs and the rails' RDMA resources. Pod Security baseline and
 * restricted both forbid IPC_LOCK (kubernetes.io/docs/concepts/security/pod-security-standards),
 * so these namespaces enforce `privileged` and warn/audit `restricted`; this policy is the
 * enforcement. One expression per container kind: their CEL types differ (EphemeralContainer).
 * Written as kubernetes_manifest: the provider's typed VAP resource requires audit_annotations and
 * has no binding resource (hashicorp/terraform-provider-kubernetes).
 */
export class RdmaPodPolicy extends Construct {
  readonly policy: Manifest;
  readonly binding: Manifest;

  constructor(scope: Construct, id: string, props: RdmaPodPolicyProps) {
    super(scope, id);
    const labels = managedLabels("rdma-pod-policy");
    const allowedResources = [GPU_RESOURCE, `${GPU_RESOURCE}.shared`, ...props.railResources];
    const extended = (r: string) => `${r}.contains('/') && !${r}.startsWith('kubernetes.io/')`;
    const validations = [
      ...kinds.map((kind) => ({
        expression: each(
          kind,
          `!has(c.securityContext) || !has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) || ` +
            `c.securityContext.capabilities.add.all(cap, cap == '${RDMA_CAPABILITY}')`,
        ),
        message: `${kind}: only ${RDMA_CAPABILITY} may be added to capabilities`,
      })),
      ...kinds.map((kind) => ({
        expression: each(
          kind,
          "has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop) && " +
            "c.securityContext.capabilities.drop.exists(d, d == 'ALL')",
        ),
        message: `${kind}: must drop ALL capabilities`,
      })),
      ...kinds.map((kind) => ({
        expression: each(
          kind,
          "!has(c.securityContext) || ((!has(c.securityContext.privileged) || c.securityContext.privileged == false) && " +
            "(!has(c.securityContext.allowPrivilegeEscalation) || c.securityContext.allowPrivilegeEscalation == false))",
        ),
        message: `${kind}: no privileged containers and no privilege escalation`,
      })),
      {
        expression:
          "(!has(object.spec.hostNetwork) || object.spec.hostNetwork == false) && " +
          "(!has(object.spec.hostPID) || object.spec.hostPID == false) && " +
          "(!has(object.spec.hostIPC) || object.spec.hostIPC == false)",
        message: "host namespaces (hostNetwork, hostPID, hostIPC) are not allowed",
      },
      {
        expression: "!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath))",
        message: "hostPath volumes are not allowed",
      },
      {
        expression: each(
          "containers",
          `!has(c.resources) || ((!has(c.resources.limits) || c.resources.limits.all(r, !(${extended("r")}) || ` +
            `${celList(allowedResources)}.exists(a, a == r))) && (!has(c.resources.requests) || c.resources.requests.all(r, ` +
            `!(${extended("r")}) || ${celList(allowedResources)}.exists(a, a == r))))`,
        ),
        message: `extended resources are limited to ${allowedResources.join(", ")}`,
      },
    ];
    this.policy = managedManifest(
      this,
      "policy",
      {
        apiVersion: ADMISSION_API_VERSION,
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: NAMES.rdmaPodPolicy, labels },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [
              { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] },
            ],
          },
          validations,
        },
      },
      props.fieldManager ? { fieldManager: props.fieldManager } : {},
    );
    this.binding = managedManifest(
      this,
      "binding",
      {
        apiVersion: ADMISSION_API_VERSION,
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: NAMES.rdmaPodPolicy, labels },
        spec: {
          policyName: NAMES.rdmaPodPolicy,
          validationActions: ["Deny"],
          matchResources: { namespaceSelector: { matchLabels: { [RDMA_TENANT_LABEL]: "true" } } },
        },
      },
      { dependsOn: [this.policy], ...(props.fieldManager && { fieldManager: props.fieldManager }) },
    );
  }
}
