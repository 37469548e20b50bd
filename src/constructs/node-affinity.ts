/**
 * The node affinity that puts a DaemonSet's pods on exactly the nodes carrying every given label
 * (one term, `In` each value): the pool selectors of the plan, plus a discovered label where a
 * daemon needs one (`nvidia.com/mps.capable`). Provider block shape (kubernetes_daemon_set_v1).
 */
export function nodeAffinityFor(labels: Readonly<Record<string, string>>) {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerm: [
          {
            matchExpressions: Object.entries(labels).map(([key, value]) => ({ key, operator: "In", values: [value] })),
          },
        ],
      },
    },
  };
}
