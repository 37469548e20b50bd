/**
 * API versions of the custom resources the campus manages, set once. Each needs its CRD at plan
 * time (kubernetes_manifest), so an environment declares the add-on installed before objects appear.
 */

/** Kueue's API for Topology, ResourceFlavor and queues; v1beta2 needs Kueue ≥ 0.15 (kubernetes-sigs/kueue site/content/en/docs/concepts/topology.md). */
export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta2";

/** Multus's API for NetworkAttachmentDefinitions (k8snetworkplumbingwg/multus-cni docs/quickstart.md). */
export const MULTUS_API_VERSION = "k8s.cni.cncf.io/v1";

/** CNI spec version of the rail configs: one every CNI plugin used here still accepts. */
export const CNI_VERSION = "0.4.0";

/** Dynamic Resource Allocation, GA and served by default from Kubernetes 1.34 (kubernetes.io/blog/2025/09/01/kubernetes-v1-34-dra-updates). */
export const DRA_API_VERSION = "resource.k8s.io/v1";

/** ValidatingAdmissionPolicy and its binding, GA since Kubernetes 1.30. */
export const ADMISSION_API_VERSION = "admissionregistration.k8s.io/v1";

/** The Prometheus operator's ServiceMonitor and PrometheusRule (prometheus-operator Documentation/api.md). */
export const PROMETHEUS_OPERATOR_API_VERSION = "monitoring.coreos.com/v1";
