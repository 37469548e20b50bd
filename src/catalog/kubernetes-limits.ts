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
