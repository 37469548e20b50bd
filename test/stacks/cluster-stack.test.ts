import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { RuntimeClassV1 } from "@cdktf/provider-kubernetes/lib/runtime-class-v1";
import { TerraformResource, TerraformStack, Testing } from "cdktf";
import { describe, expect, it, vi } from "vitest";
import { buildCampusPlan } from "../../src/plan/campus-plan.js";
import { ClusterStack } from "../../stacks/cluster-stack.js";
import { environmentData, loadData, loadShipped } from "../fixtures/environments.js";
import {
  manifestsOf,
  parseSynth,
  resourceCount,
  resourcesOf,
  type SynthesizedStack,
  stackOutline,
  synthCluster,
  synthShipped,
} from "../fixtures/stacks.js";

const MAX_RESOURCES_PER_STACK = 300;

const names = (json: SynthesizedStack, type: string) =>
  resourcesOf(json, type).map((r) => (r.metadata as { name: string }).name);

describe("ClusterStack composition", () => {
  it("GIVEN staging WHEN synthesized THEN it has the device plugin, StorageClasses, tenants with quotas and policies, the Topology and rails", () => {
    const { synth, json } = synthShipped("staging");
    expect(synth).toHaveResource(DaemonSetV1);
    expect(synth).toHaveResourceWithProperties(RuntimeClassV1, { handler: "nvidia" });
    expect(names(json, "kubernetes_storage_class_v1").sort()).toEqual(["checkpoint", "local-nvme", "shared-fs"]);
    expect(names(json, "kubernetes_namespace_v1").sort()).toEqual([
      "gpu-campus-system",
      "gpu-telemetry",
      "inference-canary",
      "nvidia-device-plugin",
      "nvidia-dra-driver-gpu",
      "platform-tests",
      "rdma-device-plugin",
    ]);
    expect(resourcesOf(json, "kubernetes_resource_quota_v1")).toHaveLength(2);
    expect(resourcesOf(json, "kubernetes_network_policy_v1")).toHaveLength(4);
    expect(manifestsOf(json, "Topology")).toHaveLength(1);
    expect(manifestsOf(json, "NetworkAttachmentDefinition")).toHaveLength(2 * 4);
    expect(names(json, "kubernetes_priority_class_v1").sort()).toEqual(["gpu-batch", "gpu-inference", "gpu-training"]);
  });

  it("GIVEN kind WHEN synthesized THEN it is staging's shape minus the device plugin, with per-building StorageClasses", () => {
    const { json, stack } = synthShipped("kind");
    expect(stack.devicePlugin).toBeUndefined();
    expect(resourcesOf(json, "kubernetes_daemon_set_v1")).toEqual([]);
    expect(resourcesOf(json, "kubernetes_service_account_v1")).toEqual([]);
    expect(names(json, "kubernetes_namespace_v1")).not.toContain("nvidia-device-plugin");
    expect(names(json, "kubernetes_storage_class_v1").sort()).toEqual([
      "checkpoint-k1",
      "checkpoint-k2",
      "local-nvme-k1",
      "local-nvme-k2",
      "shared-fs-k1",
      "shared-fs-k2",
    ]);
    expect(manifestsOf(json, "ResourceFlavor")).toHaveLength(2);
    expect(manifestsOf(json, "Topology")).toHaveLength(1);
    const claims = resourcesOf(json, "kubernetes_persistent_volume_claim_v1") as { spec: { access_modes: string[] } }[];
    expect(claims.map((c) => c.spec.access_modes)).toEqual([["ReadWriteOnce"], ["ReadWriteOnce"]]);
  });

  it("GIVEN every production cluster WHEN synthesized THEN none has more than 300 resources", () => {
    const environment = loadShipped("production").spec;
    const plan = buildCampusPlan(environment);
    const app = Testing.stubVersion(Testing.app());
    const counts = plan.clusters.map((cluster) =>
      resourceCount(parseSynth(Testing.synth(new ClusterStack(app, { plan, cluster }), true))),
    );
    expect(counts).toHaveLength(24);
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
  });
});

describe("ClusterStack scales with pools, not nodes", () => {
  it("GIVEN staging's building WHEN its racks double THEN its stack has the same number of resources", () => {
    const data = environmentData("staging");
    const before = resourceCount(synthCluster(loadData(data).spec).json);
    const building = data.buildings[0];
    const pool = building?.pools[0];
    if (!building || !pool?.racks) throw new Error("staging's pool is not sized in racks");
    pool.racks *= 2;
    building.rackPositions *= 2;
    building.itPowerMW *= 2;
    const doubled = synthCluster(loadData(data).spec);
    expect(doubled.cluster.nodes).toBe(2 * 288);
    expect(resourceCount(doubled.json)).toBe(before);
  });

  it("GIVEN production's b1 WHEN its racks double THEN it has more clusters but each stack has the same number of resources", () => {
    const data = environmentData("production");
    const before = resourceCount(synthCluster(loadData(data).spec, "b1-c1").json);
    const b1 = data.buildings[0];
    const pool = b1?.pools[0];
    if (!b1 || !pool?.racks) throw new Error("production's b1 is not sized in racks");
    pool.racks *= 2;
    b1.rackPositions *= 2;
    b1.itPowerMW *= 2;
    const environment = loadData(data).spec;
    const clusters = buildCampusPlan(environment).clusters.filter((c) => c.id.startsWith("b1-"));
    expect(clusters.length).toBeGreaterThan(3);
    for (const cluster of clusters) expect(resourceCount(synthCluster(environment, cluster.id).json)).toBe(before);
  });
});

describe("ClusterStack snapshots (outline per stack)", () => {
  it.each([
    ["kind", "c1"],
    ["staging", "stg-c1"],
    ["production", "b1-c1"],
    ["production", "b8-c3"],
  ] as const)("GIVEN %s cluster %s WHEN synthesized THEN its outline matches the snapshot", (name, clusterId) => {
    const { json } = synthShipped(name, clusterId);
    expect(stackOutline(json as SynthesizedStack & Record<string, unknown>)).toMatchSnapshot();
  });
});

describe("ClusterStack state backend", () => {
  const withBackend = (backend: Record<string, unknown>) =>
    (synthCluster(loadData({ ...environmentData("kind"), backend }).spec).json as { terraform?: { backend?: unknown } })
      .terraform?.backend;
  const s3 = { type: "s3", bucket: "lab-tfstate", region: "us-ashburn-1", keyPrefix: "gpu-campus/lab" };

  it("GIVEN an S3-compatible endpoint with path style THEN the S3 backend points there, skips the AWS-only checks and locks with a lockfile", () => {
    const endpoint = "https://lab.compat.objectstorage.us-ashburn-1.oraclecloud.com";
    expect(withBackend({ ...s3, endpoint, usePathStyle: true })).toEqual({
      s3: {
        bucket: "lab-tfstate",
        region: "us-ashburn-1",
        key: "gpu-campus/lab/kind-c1.tfstate",
        encrypt: true,
        endpoints: { s3: endpoint },
        use_path_style: true,
        use_lockfile: true,
        skip_region_validation: true,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
      },
    });
  });

  it("GIVEN AWS S3 (no endpoint) THEN the AWS checks stay on and the bucket is addressed by host name", () => {
    const backend = withBackend(s3) as { s3: Record<string, unknown> };
    expect(backend.s3.use_path_style).toBe(false);
    expect(Object.keys(backend.s3).filter((k) => k.startsWith("skip_") || k === "endpoints")).toEqual([]);
  });

  it("GIVEN a PostgreSQL backend THEN each stack gets its own schema and no connection string is written (PG_CONN_STR holds it)", () => {
    expect(withBackend({ type: "pg", schemaPrefix: "gpu_campus" })).toEqual({
      pg: { schema_name: "gpu_campus_kind_c1" },
    });
  });
});

describe("ClusterStack resolves once per synth", () => {
  it("GIVEN a validation that reads the resolved stack WHEN synthesized THEN the stack is resolved once; WHEN it changes and is synthesized again THEN the change shows", () => {
    const plan = buildCampusPlan(loadShipped("kind").spec);
    const [cluster] = plan.clusters;
    if (!cluster) throw new Error("kind has a cluster");
    const stack = new ClusterStack(Testing.stubVersion(Testing.app()), { plan, cluster });
    const readByValidation: unknown[] = [];
    stack.node.addValidation({
      validate: () => {
        readByValidation.push(stack.toTerraform());
        return [];
      },
    });
    const resolutions = vi.spyOn(TerraformStack.prototype, "toTerraform");
    try {
      const first = parseSynth(Testing.synth(stack, true));
      expect(readByValidation).toHaveLength(1);
      expect(resolutions).toHaveBeenCalledTimes(1);
      const runtimeClass = stack.node
        .findAll()
        .find(
          (c): c is TerraformResource =>
            TerraformResource.isTerraformResource(c) && c.terraformResourceType === "kubernetes_runtime_class_v1",
        );
      runtimeClass?.addOverride("metadata.labels.changed", "after-the-first-synth");
      const second = parseSynth(Testing.synth(stack, true));
      expect(resolutions).toHaveBeenCalledTimes(2);
      // Outside a synth, every call resolves afresh.
      stack.toTerraform();
      expect(resolutions).toHaveBeenCalledTimes(3);
      const label = (json: SynthesizedStack) => {
        const [runtime] = resourcesOf(json, "kubernetes_runtime_class_v1");
        return (runtime?.metadata as { labels?: Record<string, string> } | undefined)?.labels?.changed;
      };
      expect(label(first)).toBeUndefined();
      expect(label(second)).toBe("after-the-first-synth");
    } finally {
      resolutions.mockRestore();
    }
  });
});
