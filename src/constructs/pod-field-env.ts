/**
 * A container env var read from the pod's own fields through the downward API
 * (kubernetes.io/docs/concepts/workloads/pods/downward-api: `spec.nodeName`, `metadata.namespace`,
 * `metadata.name`, ...). Provider block shape (`env[].value_from.field_ref`), for DaemonSets and
 * Deployments alike.
 */
export function fieldEnv(name: string, fieldPath: string) {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}
