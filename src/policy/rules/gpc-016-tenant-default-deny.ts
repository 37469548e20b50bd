import {
  block,
  blocks,
  type Dict,
  describeObject,
  field,
  specOf,
  stringMap,
  strings,
} from "../../terraform-json/kubernetes-object.js";
import { NAMESPACE_NAME_LABEL } from "../../vocabulary/names.js";
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

/** A namespaceSelector that selects exactly the namespace `name` (by its immutable name label). */
function selectsOnlyNamespace(selector: Dict | undefined, name: string): boolean {
  if (!selector) return false;
  const labels = stringMap(field(selector, "matchLabels", "match_labels"));
  const expressions = field(selector, "matchExpressions", "match_expressions");
  const keys = Object.keys(labels);
  return (
    keys.length === 1 &&
    labels[NAMESPACE_NAME_LABEL] === name &&
    (!Array.isArray(expressions) || expressions.length === 0)
  );
}

/**
 * Why an ingress rule of a policy in namespace `name` admits traffic from outside it, if it does:
 * a rule without `from` admits every source; a peer with a namespaceSelector admits the namespaces
 * it selects (`{}`: all of them); an ipBlock admits addresses whatever namespace holds them. A
 * peer with only a podSelector stays in the policy's namespace.
 * Source: kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
function crossNamespaceIngress(policy: SynthesizedResource, name: string): string[] {
  const spec = specOf(policy);
  if (!spec) return [];
  const reasons: string[] = [];
  blocks(spec.ingress).forEach((rule, r) => {
    const peers = blocks(rule.from);
    if (peers.length === 0) {
      reasons.push(`${describeObject(policy)} ingress[${r}] has no \`from\`: it admits every namespace`);
      return;
    }
    peers.forEach((peer, p) => {
      const namespaces = field(peer, "namespaceSelector", "namespace_selector");
      if (field(peer, "ipBlock", "ip_block") !== undefined) {
        reasons.push(
          `${describeObject(policy)} ingress[${r}].from[${p}] has an ipBlock: it admits pods of any namespace`,
        );
      } else if (namespaces !== undefined && !selectsOnlyNamespace(block(namespaces), name)) {
        reasons.push(
          `${describeObject(policy)} ingress[${r}].from[${p}] has a namespaceSelector ${selectsAll(block(namespaces)) ? "that selects every namespace" : "that selects other namespaces"}`,
        );
      }
    });
  });
  return reasons;
}

export const tenantDefaultDeny: StackRule = {
  id: "GPC-016",
  name: "tenant-default-deny",
  scope: "stack",
  level: "error",
  description:
    "Every tenant namespace has a default-deny ingress NetworkPolicy (all pods selected, Ingress, no rules) and no policy admits ingress from other namespaces.",
  why: "Without it every pod of every tenant can reach every other tenant's pods, checkpoints servers included.",
  fix: 'Add a NetworkPolicy in the namespace with an empty pod_selector, policy_types ["Ingress"] and no ingress rules; allow what is needed in separate policies whose peers are pod selectors of the same namespace.',
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
      const denies = policies.some(isDefaultDenyIngress);
      // Allow policies add to a default deny: one that opens the namespace to others undoes it.
      const openings = policies.flatMap((policy) => crossNamespaceIngress(policy, name));
      const reasons = [
        ...(denies
          ? []
          : [
              `tenant namespace "${name}" has ${policies.length === 0 ? "no NetworkPolicy" : `${policies.length} NetworkPolicies but none denies all ingress by default`}`,
            ]),
        ...openings.map((why) => `tenant namespace "${name}": ${why}`),
      ];
      return { resource, result: verdict(reasons) };
    });
  },
};
