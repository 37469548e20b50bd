import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { TenantNamespace } from "../../src/constructs/tenant-namespace.js";
import { campusCapacity } from "../../src/plan/capacity.js";
import { clusterNodes } from "../../src/plan/node-identity.js";
import { environmentData, plannedData } from "../fixtures/environments.js";
import { partial } from "../fixtures/stacks.js";
import { FixtureTenant, fixtureStack, synthFindings } from "../policy/fixtures.js";

/**
 * Sharing replicas through the plan. Source: NVIDIA/k8s-device-plugin v0.20.0 README, "Shared
 * Access to GPUs": a node with 8 GPUs and replicas 10 "would now advertise 80 nvidia.com/gpu
 * resources"; with renameByDefault they are advertised as `nvidia.com/gpu.shared`.
 */
function stagingWith(sharing: { strategy: "timeSlicing" | "mps"; replicas: number; renameByDefault?: boolean }) {
  const data = environmentData("staging");
  const pool = data.buildings[0]?.pools[0];
  if (!pool) throw new Error("staging has no pool");
  pool.devicePlugin = { sharing };
  const { plan } = plannedData(data);
  const cluster = plan.clusters[0];
  if (!cluster) throw new Error("no cluster");
  return { plan, cluster };
}

describe("sharing replicas in the plan", () => {
  const timeSliced = stagingWith({ strategy: "timeSlicing", replicas: 4 });
  const renamed = stagingWith({ strategy: "timeSlicing", replicas: 4, renameByDefault: true });

  it("GIVEN time-slicing ×4 on 4-GPU trays WHEN planned THEN each node advertises 16 nvidia.com/gpu and the cluster 4 × its GPUs", () => {
    const { plan, cluster } = timeSliced;
    const [node] = clusterNodes(plan, cluster);
    expect(node?.capacity["nvidia.com/gpu"]).toBe("16");
    expect(cluster.gpus).toBe(1152);
    expect(cluster.gpuUnits).toEqual({ "nvidia.com/gpu": 4608 });
  });

  it("GIVEN renameByDefault WHEN planned THEN the nodes advertise nvidia.com/gpu.shared and no nvidia.com/gpu", () => {
    const { plan, cluster } = renamed;
    const [node] = clusterNodes(plan, cluster);
    expect(node?.capacity).toMatchObject({ "nvidia.com/gpu.shared": "16" });
    expect(node?.capacity).not.toHaveProperty("nvidia.com/gpu");
    expect(cluster.gpuUnits).toEqual({ "nvidia.com/gpu.shared": 4608 });
  });

  it("GIVEN sharing WHEN tenants are planned THEN each quota is the same share of the advertised units", () => {
    const tenants = Object.fromEntries(timeSliced.cluster.tenants.map((t) => [t.id, t]));
    // staging: platform-tests 576 (and with Kueue the 288 it may borrow) and inference-canary 288 of 1,152 GPUs.
    expect(tenants["platform-tests"]?.gpuResourceQuotas).toEqual({ "nvidia.com/gpu": (576 + 288) * 4 });
    expect(tenants["inference-canary"]?.gpuResourceQuotas).toEqual({ "nvidia.com/gpu": 1152 });
    expect(renamed.cluster.tenants[0]?.gpuResourceQuotas).toEqual({ "nvidia.com/gpu.shared": (576 + 288) * 4 });
  });

  it("GIVEN sharing WHEN capacity.json is written THEN pools, clusters and tenants carry the advertised units", () => {
    const capacity = campusCapacity(renamed.plan);
    expect(capacity.buildings[0]?.pools[0]).toMatchObject({
      gpus: 1152,
      gpuResource: "nvidia.com/gpu.shared",
      advertisedGpusPerNode: 16,
    });
    expect(capacity.clusters[0]).toMatchObject({ gpus: 1152, gpuUnits: { "nvidia.com/gpu.shared": 4608 } });
    expect(capacity.clusters[0]?.buildings[0]?.pools[0]?.advertisedGpus).toBe(4608);
    expect(capacity.clusters[0]?.tenants?.[0]?.gpuResourceQuotas).toEqual({ "nvidia.com/gpu.shared": (576 + 288) * 4 });
  });

  it("GIVEN a renamed pool WHEN the tenant namespace is built THEN its ResourceQuota limits requests.nvidia.com/gpu.shared", () => {
    const tenant = renamed.cluster.tenants[0];
    if (!tenant) throw new Error("no tenant");
    const synth = Testing.synthScope((scope) => {
      new TenantNamespace(scope, "tenant", { tenant, kubernetesVersion: "1.34" });
    });
    expect(synth).toHaveResourceWithProperties(
      ResourceQuotaV1,
      partial({ spec: { hard: { "requests.nvidia.com/gpu.shared": String((576 + 288) * 4) } } }),
    );
    expect(synth).not.toContain('"requests.nvidia.com/gpu"');
  });

  it("GIVEN ×4 sharing WHEN GPC-020 judges quotas THEN it counts advertised units: 4,608 passes and 4,609 fails by 1", () => {
    const check = (gpuQuota: number) => {
      const { stack } = fixtureStack({ cluster: timeSliced.cluster });
      new FixtureTenant(stack, "tenant", { gpuQuota });
      return synthFindings(stack).errors.filter((e) => e.rule === "GPC-020");
    };
    expect(check(4608)).toEqual([]);
    expect(check(4609).map((e) => e.message)).toEqual([
      expect.stringMatching(/allows 4609 nvidia\.com\/gpu, more than cluster stg-c1's 4608 by 1/),
    ]);
  });
});
