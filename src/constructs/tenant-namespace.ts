import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { Construct } from "constructs";
import type { TenantPlan } from "../plan/plan-types.js";
import {
  APP_LABEL,
  justificationAnnotation,
  managedLabels,
  NAMES,
  NAMESPACE_NAME_LABEL,
  podSecurityLabels,
  RDMA_TENANT_LABEL,
} from "../vocabulary/names.js";
import { tebibytesCeilQuantity } from "../vocabulary/quantity.js";
import { type ContainerResources, limitQuantities, requestQuantities } from "./container-resources.js";

export interface TenantNamespaceProps {
  readonly tenant: TenantPlan;
  /** Kubernetes minor version of the cluster ("1.33"): pins the Pod Security labels. */
  readonly kubernetesVersion: string;
  /**
   * Also deny egress, except to the same namespace and to cluster DNS. Off by default: training
   * jobs read datasets from object stores and pull images, and rails (Multus) bypass
   * NetworkPolicy anyway.
   * @default false - egress is open
   */
  readonly restrictEgress?: boolean;
  /** @default - requests 500m CPU / 1Gi, limits 2 CPU / 4Gi */
  readonly containerDefaults?: ContainerResources;
  /** PersistentVolumeClaims the namespace may hold. @default 32 */
  readonly maxPersistentVolumeClaims?: number;
}

/** Defaults a container gets when it says nothing. */
const DEFAULT_CONTAINER: ContainerResources = {
  requestCpuMillis: 500,
  requestMemoryMiB: 1024,
  limitCpuMillis: 2000,
  limitMemoryMiB: 4096,
};

/**
 * A tenant's namespace: Pod Security `restricted` enforced (and audited, warned), a ResourceQuota
 * on `requests.nvidia.com/gpu` and storage, a LimitRange that gives containers default requests and
 * limits, and NetworkPolicies that deny ingress from other namespaces.
 */
export class TenantNamespace extends Construct {
  readonly tenant: TenantPlan;
  /** The namespace resource: depend on it when creating objects inside. */
  readonly namespace: NamespaceV1;
  /** The namespace's name, as a reference that orders creation after the namespace. */
  readonly namespaceName: string;
  readonly quota: ResourceQuotaV1;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const { tenant } = props;
    this.tenant = tenant;
    const labels = { ...managedLabels("tenant"), [APP_LABEL.instance]: tenant.id };
    // RDMA pods add IPC_LOCK, which baseline and restricted both forbid: such a namespace enforces
    // privileged, keeps restricted as warn/audit, and the tenant-rdma-pods admission policy (which its
    // label selects) enforces restricted's host rules plus exactly IPC_LOCK (RdmaPodPolicy).
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: tenant.namespace,
        labels: {
          ...labels,
          ...(tenant.rdma
            ? { ...podSecurityLabels(props.kubernetesVersion, "privileged", "restricted"), [RDMA_TENANT_LABEL]: "true" }
            : podSecurityLabels(props.kubernetesVersion, "restricted")),
        },
        ...(tenant.rdma && {
          annotations: {
            [justificationAnnotation("pod-security-privileged")]:
              `RDMA pods add IPC_LOCK, which Pod Security baseline and restricted forbid; the ${NAMES.rdmaPodPolicy} ` +
              "ValidatingAdmissionPolicy enforces drop ALL + only IPC_LOCK, no privileged, no host namespaces, no hostPath",
          },
        }),
      },
    });
    this.namespaceName = this.namespace.metadata.name;
    const metadata = (name: string) => ({ name, namespace: this.namespaceName, labels });

    const hard: Record<string, string> = {
      // Extended resources are quota'd on requests only (kubernetes.io: resource quotas, extended resources).
      // One key per GPU resource the cluster advertises, in advertised units (sharing replicas included);
      // with Kueue, the quota plus what the tenant may borrow (Kueue enforces the quota itself).
      ...Object.fromEntries(
        Object.entries(tenant.gpuResourceQuotas).map(([resource, quota]) => [`requests.${resource}`, String(quota)]),
      ),
      persistentvolumeclaims: String(props.maxPersistentVolumeClaims ?? 32),
    };
    if (tenant.storageQuotaTiB !== undefined) hard["requests.storage"] = tebibytesCeilQuantity(tenant.storageQuotaTiB);
    this.quota = new ResourceQuotaV1(this, "quota", { metadata: metadata(NAMES.tenantQuota), spec: { hard } });

    const defaults = props.containerDefaults ?? DEFAULT_CONTAINER;
    new LimitRangeV1(this, "limits", {
      metadata: metadata(NAMES.tenantLimits),
      spec: {
        limit: [
          {
            type: "Container",
            defaultRequest: requestQuantities(defaults),
            default: limitQuantities(defaults),
          },
        ],
      },
    });

    // An empty podSelector selects every pod of the namespace; a rule-less policy of a type denies it.
    new NetworkPolicyV1(this, "deny-ingress", {
      metadata: metadata(NAMES.denyIngress),
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
    new NetworkPolicyV1(this, "allow-same-namespace", {
      metadata: metadata(NAMES.allowSameNamespace),
      spec: {
        podSelector: {},
        policyTypes: props.restrictEgress ? ["Ingress", "Egress"] : ["Ingress"],
        ingress: [{ from: [{ podSelector: {} }] }],
        ...(props.restrictEgress && { egress: [{ to: [{ podSelector: {} }] }] }),
      },
    });
    if (props.restrictEgress) {
      new NetworkPolicyV1(this, "deny-egress", {
        metadata: metadata(NAMES.denyEgress),
        spec: { podSelector: {}, policyTypes: ["Egress"] },
      });
      new NetworkPolicyV1(this, "allow-dns-egress", {
        metadata: metadata(NAMES.allowDnsEgress),
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
                  // CoreDNS keeps kube-dns's label (kubernetes.io: DNS for services and pods).
                  podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
              ],
              ports: [
                { port: "53", protocol: "UDP" },
                { port: "53", protocol: "TCP" },
              ],
            },
          ],
        },
      });
    }
  }
}
