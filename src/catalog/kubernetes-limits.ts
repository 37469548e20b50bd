/**
 * Kubernetes' tested scale limits for one cluster.
 * Source: kubernetes.io/docs/setup/best-practices/cluster-large/ ("Considerations for large clusters").
 */
export const KUBERNETES_LIMITS = {
  maxNodesPerCluster: 5_000,
  maxPodsPerNode: 110,
  maxPodsPerCluster: 150_000,
  maxContainersPerCluster: 300_000,
} as const;

/**
 * Nodes per cluster a planner may pack: the configured cap, lowered so that nodes × kubelet
 * max-pods stays within the per-cluster pod limit.
 */
export function clusterNodeCap(maxNodes: number, maxPodsPerNode: number): number {
  return Math.min(maxNodes, Math.floor(KUBERNETES_LIMITS.maxPodsPerCluster / maxPodsPerNode));
}
