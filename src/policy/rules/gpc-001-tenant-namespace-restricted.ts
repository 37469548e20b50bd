import { RDMA_TENANT_LABEL } from "../../vocabulary/names.js";
import { namespaceOf, POD_SECURITY_ENFORCE_LABEL } from "../namespaces.js";
import { COMPLIANT, NOT_APPLICABLE, type ResourceRule, verdict } from "../policy-rule.js";
import { cis, pss } from "../sources.js";

/** Tenants run untrusted training code next to each other: the strictest profile, enforced. */
export const tenantNamespaceRestricted: ResourceRule = {
  id: "GPC-001",
  name: "tenant-namespace-restricted",
  scope: "resource",
  level: "error",
  justification: "pod-security-privileged",
  description: `Tenant namespaces enforce Pod Security "restricted" (${POD_SECURITY_ENFORCE_LABEL}: restricted).`,
  why: "Tenants share nodes; restricted is the profile that stops a pod from reaching the node or its neighbours.",
  fix:
    `Label the tenant namespace ${POD_SECURITY_ENFORCE_LABEL}=restricted (and workloads then need the restricted securityContext). ` +
    `Only an RDMA tenant (label ${RDMA_TENANT_LABEL}=true, held to IPC_LOCK by the tenant-rdma-pods admission policy) may enforce ` +
    "privileged, with the annotation justification.gpu-campus.io/pod-security-privileged.",
  sources: [
    pss("restricted", "the profile for security-critical and multi-tenant workloads"),
    cis("5.2.1", "Ensure that the cluster has at least one active policy control mechanism in place"),
  ],
  evaluate(resource, context) {
    const namespace = namespaceOf(resource);
    if (!namespace || !context.tenantNamespaces.has(namespace.name)) return NOT_APPLICABLE;
    if (namespace.enforce === "restricted") return COMPLIANT;
    const found = verdict([
      `tenant namespace "${namespace.name}" enforces ${namespace.enforce === undefined ? "no Pod Security level (the cluster default, privileged unless configured)" : `"${namespace.enforce}"`}, not "restricted"`,
    ]);
    const rdma = namespace.labels[RDMA_TENANT_LABEL] === "true" && namespace.enforce === "privileged";
    return found.status === "non-compliant" && !rdma ? { ...found, justifiable: false } : found;
  },
};
