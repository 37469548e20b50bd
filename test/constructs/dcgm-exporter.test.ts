import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { DCGM_COUNTERS } from "../../src/catalog/dcgm-exporter.js";
import { DcgmExporter, gpuAlertRules } from "../../src/constructs/dcgm-exporter.js";
import { planOf } from "../fixtures/environments.js";
import { manifestsOf, parseSynth, resourcesOf } from "../fixtures/stacks.js";

const slice = planOf("staging").clusters[0]?.buildings[0]?.pools[0];
function synth(prometheusOperator: boolean) {
  if (!slice) throw new Error("staging has no pool");
  return parseSynth(
    Testing.synthScope((scope) => {
      new DcgmExporter(scope, "dcgm", { kubernetesVersion: "1.34", prometheusOperator }).addPool(slice);
    }),
  );
}
const withOperator = synth(true);

describe("DcgmExporter", () => {
  it("GIVEN a pool WHEN added THEN the exporter runs as upstream's chart: root, SYS_ADMIN only, pod-resources read-only, port 9400 behind a Service", () => {
    const [daemonSet] = resourcesOf(withOperator, "kubernetes_daemon_set_v1") as {
      spec: { template: { spec: { container: Record<string, unknown>[] } } };
    }[];
    const container = daemonSet?.spec.template.spec.container[0];
    expect(container?.security_context).toMatchObject({
      run_as_user: "0",
      allow_privilege_escalation: false,
      capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] },
    });
    expect(container?.volume_mount).toContainEqual(
      expect.objectContaining({ mount_path: "/var/lib/kubelet/pod-resources", read_only: true }),
    );
    const [service] = resourcesOf(withOperator, "kubernetes_service_v1") as { spec: { port: { port: number }[] } }[];
    expect(service?.spec.port[0]?.port).toBe(9400);
  });

  it("GIVEN the counters WHEN rendered THEN every field an alert reads is collected", () => {
    const fields = new Set(DCGM_COUNTERS.map((c) => c.field));
    for (const rule of gpuAlertRules(87)) {
      for (const field of rule.expr.match(/DCGM_FI_[A-Z_]+/g) ?? [])
        expect(fields.has(field), `${rule.alert} ${field}`).toBe(true);
    }
  });

  it("GIVEN the Prometheus operator WHEN synthesized THEN a ServiceMonitor scrapes port metrics and a PrometheusRule alerts on XID, ECC, thermal and NVLink", () => {
    const [monitor] = manifestsOf(withOperator, "ServiceMonitor") as {
      spec: { endpoints: { port: string; interval: string }[] };
    }[];
    expect(monitor?.spec.endpoints).toEqual([expect.objectContaining({ port: "metrics", interval: "15s" })]);
    const [rules] = manifestsOf(withOperator, "PrometheusRule") as {
      spec: { groups: { rules: { alert: string }[] }[] };
    }[];
    expect(rules?.spec.groups[0]?.rules.map((r) => r.alert)).toEqual([
      "GpuXidError",
      "GpuEccDoubleBitErrors",
      "GpuRowRemapFailure",
      "GpuTemperatureHigh",
      "GpuThermalThrottling",
      "GpuNvlinkErrors",
    ]);
  });

  it("GIVEN no Prometheus operator WHEN synthesized THEN no monitoring.coreos.com object is written (its CRDs would be missing at plan time)", () => {
    expect(JSON.stringify(synth(false))).not.toContain("monitoring.coreos.com");
  });
});
