import { describeObject, isNamespaced, metadataOf } from "../../terraform-json/kubernetes-object.js";
import { COMPLIANT, NOT_APPLICABLE, type ResourceRule, verdict } from "../policy-rule.js";
import { checkov, cis, kubeLinter } from "../sources.js";

export const noDefaultNamespace: ResourceRule = {
  id: "GPC-014",
  name: "no-default-namespace",
  scope: "resource",
  level: "error",
  description: "Nothing is created in the default namespace; every namespaced object names its namespace.",
  why: "default has no quota, no network policy and no Pod Security level of ours: what lands there escapes every other rule.",
  fix: "Set metadata.namespace to the owning namespace (a tenant's, or gpu-campus-system for campus daemons).",
  sources: [
    cis("5.7.4", "The default namespace should not be used"),
    checkov("CKV_K8S_21", "The default namespace should not be used"),
    kubeLinter("use-namespace"),
  ],
  evaluate(resource) {
    if (!isNamespaced(resource)) return NOT_APPLICABLE;
    const { namespace } = metadataOf(resource);
    if (namespace === undefined)
      return verdict([`${describeObject(resource)} names no namespace, so it lands in default`]);
    if (namespace === "default") return verdict([`${describeObject(resource)} is in the default namespace`]);
    return COMPLIANT;
  },
};
