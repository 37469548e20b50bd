import { justifiableInSystemNamespace, podOf } from "../pod-spec.js";
import { NOT_APPLICABLE, type ResourceRule, verdict } from "../policy-rule.js";
import { checkov, cis, kubeLinter, pss } from "../sources.js";

export const noHostNamespaces: ResourceRule = {
  id: "GPC-013",
  name: "no-host-namespaces",
  scope: "resource",
  level: "error",
  justification: "host-namespaces",
  description: "No pod shares the node's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).",
  why: "Host namespaces let a pod see and signal the node's processes and sniff its traffic, RDMA control plane included.",
  fix:
    "Remove host_network, host_pid and host_ipc (or set them false); rails reach pods through Multus, not the host network. " +
    "A node agent in a GPU system namespace that needs one says why in the annotation justification.gpu-campus.io/host-namespaces.",
  sources: [
    pss("baseline", "Host Namespaces"),
    cis("5.2.3-5.2.5", "Minimize the admission of containers sharing the host PID, IPC and network namespaces"),
    checkov("CKV_K8S_17/18/19", "Containers should not share the host process ID, IPC or network namespace"),
    kubeLinter("host-network"),
    kubeLinter("host-pid"),
    kubeLinter("host-ipc"),
  ],
  evaluate(resource, context) {
    const pod = podOf(resource);
    if (!pod) return NOT_APPLICABLE;
    const shared = (
      [
        ["hostNetwork", pod.hostNetwork],
        ["hostPID", pod.hostPID],
        ["hostIPC", pod.hostIPC],
      ] as const
    ).filter(([, value]) => value === true);
    return justifiableInSystemNamespace(
      verdict(shared.map(([name]) => `${pod.owner} sets ${name}: true`)),
      resource,
      context,
    );
  },
};
