import { block, type Dict, field, specOf, strings } from "../../terraform-json/kubernetes-object.js";
import { objectsIn, tenantNamespaces } from "../namespaces.js";
import { type StackRule, type SynthesizedResource, verdict } from "../policy-rule.js";
import { cis, kubernetesDocs } from "../sources.js";

function selectsAll(selector: Dict | undefined): boolean {
  if (!selector) return true;
  const labels = block(field(selector, "matchLabels", "match_labels"));
  const expressions = field(selector, "matchExpressions", "match_expressions");
  return (!labels || Object.keys(labels).length === 0) && (!Array.isArray(expressions) || expressions.length === 0);
}

/**
 * A policy that selects every pod, governs Ingress and allows nothing in. When policyTypes is
 * omitted Kubernetes takes Ingress (plus Egress if egress rules exist).
 * Source: kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic
 */
export function isDefaultDenyIngress(policy: SynthesizedResource): boolean {
  const spec = specOf(policy);
  if (!spec) return false;
  const declared = strings(field(spec, "policyTypes", "policy_types"));
  const types = declared.length > 0 ? declared : ["Ingress"];
  const ingress = spec.ingress;
  const noRules = ingress === undefined || (Array.isArray(ingress) && ingress.length === 0);
  return types.includes("Ingress") && noRules && selectsAll(block(field(spec, "podSelector", "pod_selector")));
}

export const tenantDefaultDeny: StackRule = {
  id: "GPC-016",
  name: "tenant-default-deny",
  scope: "stack",
  level: "error",
  description:
    "Every tenant namespace has a default-deny ingress NetworkPolicy (all pods selected, Ingress, no rules).",
  why: "Without it every pod of every tenant can reach every other tenant's pods, checkpoints servers included.",
  fix: 'Add a NetworkPolicy in the namespace with an empty pod_selector, policy_types ["Ingress"] and no ingress rules; allow what is needed in separate policies.',
  sources: [
    cis("5.3.2", "Ensure that all Namespaces have Network Policies defined"),
    kubernetesDocs(
      "Network Policies, default deny all ingress traffic",
      "concepts/services-networking/network-policies/",
    ),
  ],
  evaluate(resources, context) {
    return tenantNamespaces(resources, context.tenantNamespaces).map(({ resource, name }) => {
      const policies = objectsIn(resources, "NetworkPolicy", name);
      const ok = policies.some(isDefaultDenyIngress);
      return {
        resource,
        result: verdict(
          ok
            ? []
            : [
                `tenant namespace "${name}" has ${policies.length === 0 ? "no NetworkPolicy" : `${policies.length} NetworkPolicies but none denies all ingress by default`}`,
              ],
        ),
      };
    });
  },
};
