/**
 * NVIDIA DCGM exporter: GPU telemetry and health as Prometheus metrics. The one place its version
 * is set. Source: NVIDIA/dcgm-exporter at tag 4.5.3-4.8.2 (commit 691c92762eb551313c825f6efe4ceeee20982801):
 * deployment/values.yaml (image, port 9400, securityContext: root + SYS_ADMIN "Required for profiling
 * metrics (DCGM_FI_PROF_*)", hostPath /var/lib/kubelet/pod-resources), deployment/templates
 * (Service, ServiceMonitor monitoring.coreos.com/v1, metrics ConfigMap), etc/default-counters.csv
 * (field names). Tag format `<DCGM version>-<exporter version>-<flavour>`; no digest published.
 */
export const DCGM_EXPORTER = {
  repository: "nvcr.io/nvidia/k8s/dcgm-exporter",
  version: "4.5.3-4.8.2-distroless",
  port: 9400,
  portName: "metrics",
  /** kubelet's PodResources socket directory: maps GPUs to pods (values.yaml kubeletPath). */
  podResourcesDir: "/var/lib/kubelet/pod-resources",
  /** Where the container reads its counters CSV (`-f`, pkg/cmd/app.go default). */
  countersFile: "/etc/dcgm-exporter/default-counters.csv",
  /** Chart ServiceMonitor defaults. */
  scrapeInterval: "15s",
  scrapeTimeout: "10s",
} as const;

export const DCGM_EXPORTER_IMAGE = `${DCGM_EXPORTER.repository}:${DCGM_EXPORTER.version}`;

/** A DCGM field the exporter collects: `field, Prometheus type, help` (one CSV line). */
export interface DcgmCounter {
  readonly field: string;
  readonly type: "gauge" | "counter";
  readonly help: string;
}

/**
 * The counters the campus collects: upstream's defaults that the alerts read, plus the ECC and
 * NVLink error counters upstream leaves commented out in etc/default-counters.csv (our alerts need them).
 */
export const DCGM_COUNTERS: readonly DcgmCounter[] = [
  { field: "DCGM_FI_DEV_GPU_TEMP", type: "gauge", help: "GPU temperature (in C)." },
  { field: "DCGM_FI_DEV_MEMORY_TEMP", type: "gauge", help: "Memory temperature (in C)." },
  { field: "DCGM_FI_DEV_POWER_USAGE", type: "gauge", help: "Power draw (in W)." },
  { field: "DCGM_FI_DEV_GPU_UTIL", type: "gauge", help: "GPU utilization (in %)." },
  { field: "DCGM_FI_DEV_FB_USED", type: "gauge", help: "Framebuffer memory used (in MiB)." },
  { field: "DCGM_FI_DEV_XID_ERRORS", type: "gauge", help: "Value of the last XID error encountered." },
  { field: "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", type: "counter", help: "Total number of double-bit volatile ECC errors." },
  { field: "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", type: "counter", help: "Total number of single-bit volatile ECC errors." },
  {
    field: "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS",
    type: "counter",
    help: "Number of remapped rows for uncorrectable errors.",
  },
  { field: "DCGM_FI_DEV_ROW_REMAP_FAILURE", type: "gauge", help: "Whether remapping of rows has failed." },
  {
    field: "DCGM_FI_DEV_THERMAL_VIOLATION",
    type: "counter",
    help: "Throttling duration due to thermal constraints (in us).",
  },
  {
    field: "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL",
    type: "counter",
    help: "Total number of NVLink flow-control CRC errors.",
  },
  {
    field: "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL",
    type: "counter",
    help: "Total number of NVLink data CRC errors.",
  },
  {
    field: "DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL",
    type: "counter",
    help: "Total number of NVLink recovery errors.",
  },
  {
    field: "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL",
    type: "counter",
    help: "Total number of NVLink bandwidth counters for all lanes.",
  },
  { field: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", type: "gauge", help: "Ratio of time the graphics engine is active." },
  {
    field: "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
    type: "gauge",
    help: "Ratio of cycles the tensor (HMMA) pipe is active.",
  },
];
