import { bool, field, kindOf, manifestOf, metadataOf } from "../../terraform-json/kubernetes-object.js";
import { podOf } from "../pod-spec.js";
import { type ResourceVerdict, type StackRule, verdict } from "../policy-rule.js";
import { checkov, cis, kubernetesDocs } from "../sources.js";

/**
 * A stack rule because the answer can live on the ServiceAccount: a pod that says nothing
 * inherits its service account's automountServiceAccountToken, and both default to true.
 */
export const serviceAccountToken: StackRule = {
  id: "GPC-015",
  name: "service-account-token",
  scope: "stack",
  level: "error",
  justification: "service-account-token",
  description:
    "Pods do not auto-mount a service account token (automountServiceAccountToken: false on the pod or its ServiceAccount) unless they call the API.",
  why: "A mounted token is a credential for the API server in every container, used or not.",
  fix:
    "Set automount_service_account_token = false on the pod spec or its ServiceAccount; a workload that talks to the API " +
    "says so in the annotation justification.gpu-campus.io/service-account-token.",
  sources: [
    cis("5.1.6", "Ensure that Service Account Tokens are only mounted where necessary"),
    checkov("CKV_K8S_38", "Ensure that Service Account Tokens are only mounted where necessary"),
    kubernetesDocs(
      "Opt out of API credential automounting",
      "tasks/configure-pod-container/configure-service-account/",
    ),
  ],
  evaluate(resources) {
    const accounts = new Map<string, boolean | undefined>();
    for (const resource of resources) {
      if (kindOf(resource) !== "ServiceAccount") continue;
      const meta = metadataOf(resource);
      const root = manifestOf(resource) ?? resource.config;
      accounts.set(
        `${meta.namespace ?? "default"}/${meta.name}`,
        bool(field(root, "automountServiceAccountToken", "automount_service_account_token")),
      );
    }
    const verdicts: ResourceVerdict[] = [];
    for (const resource of resources) {
      const pod = podOf(resource);
      if (!pod) continue;
      const namespace = metadataOf(resource).namespace ?? "default";
      const account = pod.serviceAccountName ?? "default";
      const fromAccount = accounts.get(`${namespace}/${account}`);
      const mounted = pod.automountServiceAccountToken ?? fromAccount ?? true;
      const where =
        pod.automountServiceAccountToken === true
          ? "sets automountServiceAccountToken: true"
          : `leaves automountServiceAccountToken unset and its ServiceAccount "${account}" ${fromAccount === true ? "sets it true" : "does not set it false"}`;
      verdicts.push({ resource, result: verdict(mounted ? [`${pod.owner} ${where}: the token is mounted`] : []) });
    }
    return verdicts;
  },
};
