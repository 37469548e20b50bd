import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { Construct } from "constructs";
import { DCGM_COUNTERS, DCGM_EXPORTER, DCGM_EXPORTER_IMAGE } from "../catalog/dcgm-exporter.js";
import type { ClusterPoolSlice } from "../plan/plan-types.js";
import { PROMETHEUS_OPERATOR_API_VERSION } from "../vocabulary/api-versions.js";
import { APP_LABEL, justificationAnnotation, managedLabels, NAMES, podSecurityLabels } from "../vocabulary/names.js";
import { managedManifest } from "./managed-manifest.js";
import { nodeAgentDaemonSet } from "./node-agent-daemonset.js";
import { fieldEnv } from "./pod-field-env.js";

export interface DcgmExporterProps {
  /** Kubernetes minor version ("1.34"): pins the namespace's Pod Security labels. */
  readonly kubernetesVersion: string;
  /** The Prometheus operator's CRDs are installed: a ServiceMonitor and the GPU alert rules are managed. */
  readonly prometheusOperator: boolean;
  /** @default - the pinned catalog image (src/catalog/dcgm-exporter.ts) */
  readonly image?: string;
  /** @default - none: the nodes' default runtime must be nvidia */
  readonly runtimeClassName?: string;
  /** GPU temperature that raises the thermal alert, °C. @default 87 */
  readonly gpuTemperatureAlertC?: number;
}

/** One alert rule (prometheus-operator PrometheusRule `spec.groups[].rules[]`). */
export interface GpuAlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: "critical" | "warning";
  readonly summary: string;
}

/**
 * The campus's GPU health alerts, on DCGM fields (NVIDIA DCGM field ids:
 * docs.nvidia.com/datacenter/dcgm/latest/dcgm-api/dcgm-api-field-ids.html). Upstream ships no
 * alert rules (NVIDIA/dcgm-exporter 4.5.3-4.8.2 has no PrometheusRule); these thresholds are ours.
 */
export function gpuAlertRules(temperatureC: number): GpuAlertRule[] {
  return [
    {
      alert: "GpuXidError",
      expr: "DCGM_FI_DEV_XID_ERRORS != 0",
      for: "0m",
      severity: "critical",
      summary: "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported XID {{ $value }}",
    },
    {
      alert: "GpuEccDoubleBitErrors",
      expr: "increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[10m]) > 0",
      for: "0m",
      severity: "critical",
      summary: "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} had uncorrectable (double-bit) ECC errors",
    },
    {
      alert: "GpuRowRemapFailure",
      expr: "DCGM_FI_DEV_ROW_REMAP_FAILURE == 1",
      for: "0m",
      severity: "critical",
      summary: "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} failed to remap a memory row: drain and replace",
    },
    {
      alert: "GpuTemperatureHigh",
      expr: `DCGM_FI_DEV_GPU_TEMP > ${temperatureC}`,
      for: "5m",
      severity: "warning",
      summary: `GPU {{ $labels.gpu }} on {{ $labels.Hostname }} above ${temperatureC} °C for 5 minutes`,
    },
    {
      alert: "GpuThermalThrottling",
      expr: "rate(DCGM_FI_DEV_THERMAL_VIOLATION[5m]) > 0",
      for: "10m",
      severity: "warning",
      summary: "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is throttled by temperature",
    },
    {
      alert: "GpuNvlinkErrors",
      expr:
        "increase(DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL[10m]) > 0 or " +
        "increase(DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL[10m]) > 0 or " +
        "increase(DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL[10m]) > 0",
      for: "0m",
      severity: "warning",
      summary: "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} counts NVLink errors: its NVL72 domain may degrade",
    },
  ];
}

/** `dcgm-exporter-<building>-<pool>`. */
export function dcgmExporterName(slice: Pick<ClusterPoolSlice, "name">): string {
  return `${NAMES.dcgmExporterApp}-${slice.name}`;
}

/**
 * NVIDIA's DCGM exporter on every GPU pool, as its chart deploys it (NVIDIA/dcgm-exporter
 * 4.5.3-4.8.2, deployment/): a DaemonSet per pool (root with SYS_ADMIN for the profiling fields,
 * not privileged; kubelet's pod-resources socket read-only to map GPUs to pods), one Service on
 * port 9400, a counters ConfigMap that turns on the ECC and NVLink error fields upstream leaves
 * commented out, and, when the Prometheus operator is installed, a ServiceMonitor (15 s / 10 s as
 * the chart) and a PrometheusRule of GPU health alerts (XID, ECC, thermal, NVLink).
 */
export class DcgmExporter extends Construct {
  readonly namespaceName: string;
  readonly service: ServiceV1;
  readonly daemonSets: DaemonSetV1[] = [];
  readonly serviceMonitor: Manifest | undefined;
  readonly alertRules: Manifest | undefined;
  private readonly props: DcgmExporterProps;
  private readonly configMapName: string;
  private readonly serviceAccountName: string;
  private readonly image: string;

  constructor(scope: Construct, id: string, props: DcgmExporterProps) {
    super(scope, id);
    this.props = props;
    this.image = props.image ?? DCGM_EXPORTER_IMAGE;
    const labels = managedLabels("gpu-telemetry");
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: NAMES.telemetryNamespace,
        labels: { ...labels, ...podSecurityLabels(props.kubernetesVersion, "privileged", "baseline") },
        annotations: {
          [justificationAnnotation("pod-security-privileged")]:
            `the DCGM exporter mounts hostPath ${DCGM_EXPORTER.podResourcesDir} (kubelet's PodResources socket, to ` +
            "label metrics with pods) and adds SYS_ADMIN for profiling metrics; baseline forbids both",
        },
      },
    });
    this.namespaceName = namespace.metadata.name;
    const meta = (name: string) => ({ name, namespace: this.namespaceName, labels });
    this.serviceAccountName = new ServiceAccountV1(this, "service-account", {
      metadata: meta(NAMES.dcgmExporterApp),
      automountServiceAccountToken: false,
    }).metadata.name;
    this.configMapName = new ConfigMapV1(this, "counters", {
      metadata: meta(`${NAMES.dcgmExporterApp}-counters`),
      data: { "counters.csv": DCGM_COUNTERS.map((c) => `${c.field}, ${c.type}, ${c.help}`).join("\n") },
    }).metadata.name;
    const selector = { [APP_LABEL.name]: NAMES.dcgmExporterApp };
    this.service = new ServiceV1(this, "service", {
      metadata: { ...meta(NAMES.dcgmExporterApp), labels: { ...labels, ...selector } },
      spec: {
        type: "ClusterIP",
        selector,
        port: [{ name: DCGM_EXPORTER.portName, port: DCGM_EXPORTER.port, targetPort: String(DCGM_EXPORTER.port) }],
      },
    });
    if (!props.prometheusOperator) return;
    this.serviceMonitor = managedManifest(
      this,
      "service-monitor",
      {
        apiVersion: PROMETHEUS_OPERATOR_API_VERSION,
        kind: "ServiceMonitor",
        metadata: { name: NAMES.dcgmExporterApp, namespace: NAMES.telemetryNamespace, labels },
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [NAMES.telemetryNamespace] },
          endpoints: [
            {
              port: DCGM_EXPORTER.portName,
              path: "/metrics",
              interval: DCGM_EXPORTER.scrapeInterval,
              scrapeTimeout: DCGM_EXPORTER.scrapeTimeout,
            },
          ],
        },
      },
      { dependsOn: [namespace] },
    );
    this.alertRules = managedManifest(
      this,
      "alert-rules",
      {
        apiVersion: PROMETHEUS_OPERATOR_API_VERSION,
        kind: "PrometheusRule",
        metadata: { name: NAMES.gpuAlertRules, namespace: NAMES.telemetryNamespace, labels },
        spec: {
          groups: [
            {
              name: "gpu-health",
              rules: gpuAlertRules(props.gpuTemperatureAlertC ?? 87).map((r) => ({
                alert: r.alert,
                expr: r.expr,
                for: r.for,
                labels: { severity: r.severity },
                annotations: { summary: r.summary },
              })),
            },
          ],
        },
      },
      { dependsOn: [namespace] },
    );
  }

  /** The exporter on exactly the pool's nodes. */
  addPool(slice: ClusterPoolSlice): DaemonSetV1 {
    const counters = "/etc/dcgm-exporter/campus";
    const daemonSet = new DaemonSetV1(
      this,
      `daemonset-${slice.name}`,
      nodeAgentDaemonSet({
        slice,
        name: dcgmExporterName(slice),
        namespace: this.namespaceName,
        app: NAMES.dcgmExporterApp,
        component: "gpu-telemetry",
        justifications: {
          [justificationAnnotation("added-capabilities")]:
            "SYS_ADMIN for DCGM profiling metrics (DCGM_FI_PROF_*), as upstream's values.yaml adds it; it drops ALL else",
          [justificationAnnotation("run-as-root")]:
            "upstream runs the exporter as UID 0 (values.yaml runAsUser: 0) to reach DCGM",
          [justificationAnnotation("host-path")]:
            `reads kubelet's PodResources socket in ${DCGM_EXPORTER.podResourcesDir} (read-only) to label metrics with pods`,
          [justificationAnnotation("writable-root-filesystem")]:
            "the embedded DCGM host engine writes its state under the root filesystem; read-only is not proven",
        },
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: false,
        runtimeClassName: this.props.runtimeClassName,
        pod: {
          container: [
            {
              name: "exporter",
              image: this.image,
              args: ["-f", `${counters}/counters.csv`],
              env: [
                { name: "DCGM_EXPORTER_KUBERNETES", value: "true" },
                { name: "DCGM_EXPORTER_LISTEN", value: `:${DCGM_EXPORTER.port}` },
                fieldEnv("NODE_NAME", "spec.nodeName"),
              ],
              port: [{ name: DCGM_EXPORTER.portName, containerPort: DCGM_EXPORTER.port }],
              securityContext: {
                runAsNonRoot: false,
                runAsUser: "0",
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "512Mi" } },
              livenessProbe: {
                httpGet: { path: "/health", port: String(DCGM_EXPORTER.port) },
                initialDelaySeconds: 45,
              },
              readinessProbe: {
                httpGet: { path: "/health", port: String(DCGM_EXPORTER.port) },
                initialDelaySeconds: 45,
              },
              volumeMount: [
                { name: "pod-gpu-resources", mountPath: DCGM_EXPORTER.podResourcesDir, readOnly: true },
                { name: "counters", mountPath: counters, readOnly: true },
              ],
            },
          ],
          volume: [
            { name: "pod-gpu-resources", hostPath: { path: DCGM_EXPORTER.podResourcesDir } },
            { name: "counters", configMap: { name: this.configMapName } },
          ],
        },
      }),
    );
    this.daemonSets.push(daemonSet);
    return daemonSet;
  }
}
