import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { CampusInventory } from "../../src/constructs/campus-inventory.js";
import { GpuNodePool } from "../../src/constructs/gpu-node-pool.js";
import { NetworkFabric, type NetworkFabricProps } from "../../src/constructs/network-fabric.js";
import { NvidiaDevicePlugin } from "../../src/constructs/nvidia-device-plugin.js";
import type { Environment } from "../../src/model/schema.js";
import { buildCampusPlan } from "../../src/plan/campus-plan.js";
import { GPU_TAINT, LABEL, TOPOLOGY_LEVELS } from "../../src/plan/labels.js";
import { type EnvironmentName, loadShipped } from "../fixtures/environments.js";
import { manifestsOf, parseSynth, resourcesOf, testStack } from "../fixtures/stacks.js";

function fabricOf(
  name: EnvironmentName,
  change: (env: Environment) => Environment = (env) => env,
  extra: Partial<NetworkFabricProps> = {},
  clusterIndex = 0,
) {
  const environment = change(loadShipped(name).spec);
  const plan = buildCampusPlan(environment);
  const cluster = plan.clusters[clusterIndex];
  if (!cluster) throw new Error(`${name} has no cluster ${clusterIndex}`);
  const stack = testStack(name);
  const inventory = new CampusInventory(stack, "inventory", { plan, cluster });
  const fabric = new NetworkFabric(stack, "fabric", {
    plan,
    cluster,
    fabric: environment.fabric,
    addons: environment.addons,
    inventory,
    ...extra,
  });
  const physical = cluster.buildings.some((b) => b.pools.some((p) => !p.pool.sku.simulated));
  const devicePlugin = physical ? new NvidiaDevicePlugin(stack, "plugin", { kubernetesVersion: "1.33" }) : undefined;
  const pools = cluster.buildings.flatMap((b) =>
    b.pools.map(
      (slice) =>
        new GpuNodePool(stack, `pool-${slice.pool.buildingId}-${slice.pool.id}`, {
          plan,
          cluster,
          slice,
          devicePlugin,
        }),
    ),
  );
  for (const pool of pools) fabric.addPool(pool);
  for (const b of cluster.buildings) fabric.addBuilding(b.building);
  const namespace = new NamespaceV1(stack, "team-a", { metadata: { name: "team-a" } });
  fabric.addRailNetworks("team-a", namespace);
  return { stack, fabric, pools, plan, cluster };
}

const synthJson = (stack: ReturnType<typeof testStack>) => parseSynth(Testing.synth(stack, true));

describe("NetworkFabric", () => {
  it("GIVEN Kueue WHEN synthesized THEN one v1beta2 Topology has the campus levels, hostname last", () => {
    const { stack } = fabricOf("staging");
    const [topology] = manifestsOf(synthJson(stack), "Topology");
    expect(topology).toEqual(
      expect.objectContaining({
        apiVersion: "kueue.x-k8s.io/v1beta2",
        spec: { levels: TOPOLOGY_LEVELS.map((nodeLabel) => ({ nodeLabel })) },
      }),
    );
    expect(TOPOLOGY_LEVELS.at(-1)).toBe(LABEL.hostname);
  });

  it("GIVEN two pools WHEN added THEN each gets a ResourceFlavor with its selector, the Topology and the GPU toleration", () => {
    const { stack, pools } = fabricOf("kind");
    const flavors = manifestsOf(synthJson(stack), "ResourceFlavor");
    expect(flavors).toHaveLength(2);
    expect(flavors).toEqual(
      pools.map((pool) =>
        expect.objectContaining({
          apiVersion: "kueue.x-k8s.io/v1beta2",
          metadata: expect.objectContaining({ name: pool.name }),
          spec: {
            nodeLabels: pool.nodeSelector,
            topologyName: "gpu-campus",
            tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }],
          },
        }),
      ),
    );
  });

  it("GIVEN custom resources WHEN synthesized THEN they use an explicit field manager, the default computed fields and depend on what they need", () => {
    const { stack } = fabricOf("staging");
    const manifests = resourcesOf(synthJson(stack), "kubernetes_manifest");
    for (const manifest of manifests) {
      expect(manifest.field_manager).toEqual({ name: "gpu-campus", force_conflicts: false });
      expect(manifest.computed_fields).toEqual(["metadata.annotations", "metadata.labels"]);
    }
    const flavor = manifests.find((m) => (m.manifest as { kind: string }).kind === "ResourceFlavor");
    expect(flavor?.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.fabric_topology_/)]);
    const rail = manifests.find((m) => (m.manifest as { kind: string }).kind === "NetworkAttachmentDefinition");
    expect(rail?.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.team-a/)]);
  });

  it("GIVEN GB200 on InfiniBand with host-device WHEN synthesized THEN rail-0..rail-3 move each rail's NIC into the pod with its own range", () => {
    const { stack, fabric } = fabricOf("staging");
    const rails = manifestsOf(synthJson(stack), "NetworkAttachmentDefinition") as {
      apiVersion: string;
      metadata: { name: string; namespace: string };
      spec: { config: string };
    }[];
    expect(fabric.rails).toBe(4);
    expect(rails.map((r) => r.metadata.name)).toEqual(["rail-0", "rail-1", "rail-2", "rail-3"]);
    expect(rails.every((r) => r.apiVersion === "k8s.cni.cncf.io/v1" && r.metadata.namespace === "team-a")).toBe(true);
    expect(JSON.parse(rails[0]?.spec.config ?? "")).toEqual({
      cniVersion: "0.4.0",
      name: "rail-0",
      type: "host-device",
      device: "rail0",
      ipam: { type: "whereabouts", range: "100.64.0.0/19" },
    });
    expect(JSON.parse(rails[3]?.spec.config ?? "").ipam.range).toBe("100.67.0.0/19");
    expect(fabric.railsAnnotation).toEqual({ "k8s.v1.cni.cncf.io/networks": "rail-0,rail-1,rail-2,rail-3" });
  });

  it("GIVEN three clusters on one building's fabric WHEN synthesized THEN their default rail ranges do not overlap", () => {
    const ranges = [0, 1, 2].map((index) => {
      const { fabric } = fabricOf("production", undefined, {}, index);
      return fabric.railCniConfig("rail-0", 0).ipam;
    });
    expect(ranges).toEqual([
      { type: "whereabouts", range: "100.64.0.0/19" },
      { type: "whereabouts", range: "100.64.32.0/19" },
      { type: "whereabouts", range: "100.64.64.0/19" },
    ]);
  });

  it("GIVEN SR-IOV on InfiniBand and on RoCE WHEN rendered THEN the ib-sriov and sriov plugins are used with a device resource", () => {
    const ib = fabricOf("staging", (env) => ({ ...env, fabric: { ...env.fabric, railCni: "sriov" } }));
    expect(ib.fabric.railCniConfig("rail-1", 1)).toMatchObject({ type: "ib-sriov" });
    const rails = manifestsOf(synthJson(ib.stack), "NetworkAttachmentDefinition") as {
      metadata: { annotations: object };
    }[];
    expect(rails[1]?.metadata.annotations).toEqual({
      "gpu-campus.io/rail-transport": "infiniband",
      "k8s.v1.cni.cncf.io/resourceName": "gpu-campus.io/rail1",
    });
    const roce = fabricOf("kind", (env) => ({ ...env, fabric: { ...env.fabric, railCni: "sriov" } }));
    expect(roce.fabric.railCniConfig("rail-0", 0)).toMatchObject({ type: "sriov" });
  });

  it("GIVEN the fabric plan WHEN a building is added THEN tiers, switches and links are published in the inventory", () => {
    const { stack, cluster } = fabricOf("staging");
    const building = cluster.buildings[0]?.building;
    const configMap = resourcesOf(synthJson(stack), "kubernetes_config_map_v1")[0] as { data: Record<string, string> };
    const document = JSON.parse(configMap.data["fabric-stg.json"] ?? "{}");
    expect(document.fabric).toMatchObject({
      tiers: building?.fabric?.plane.tiers,
      switches: building?.fabric?.totalSwitches,
      links: building?.fabric?.totalLinks,
      transport: "infiniband",
    });
    expect(document.railSubnets).toHaveLength(4);
  });

  it("GIVEN neither Kueue nor Multus WHEN synthesized THEN no custom resource is managed", () => {
    const { stack, fabric } = fabricOf("staging", (env) => ({ ...env, addons: { kueue: false, multus: false } }));
    expect(resourcesOf(synthJson(stack), "kubernetes_manifest")).toEqual([]);
    expect(fabric.topologyName).toBeUndefined();
  });

  it("GIVEN hostname before another level WHEN validated THEN the synth fails with Kueue's rule", () => {
    const { stack } = fabricOf("staging", undefined, { topologyLevels: [LABEL.hostname, LABEL.rack] });
    expect(() => Testing.synth(stack, true)).toThrow(
      /kubernetes\.io\/hostname is level 1 of 2; Kueue allows it only as the last level/,
    );
  });

  it("GIVEN a repeated level WHEN validated THEN the synth fails naming it", () => {
    const { stack } = fabricOf("staging", undefined, { topologyLevels: [LABEL.building, LABEL.building] });
    expect(() => Testing.synth(stack, true)).toThrow(/level gpu-campus\.io\/building appears twice/);
  });

  it("GIVEN macvlan on InfiniBand WHEN validated THEN the synth fails naming railCni", () => {
    const { stack } = fabricOf("staging", (env) => ({ ...env, fabric: { ...env.fabric, railCni: "macvlan" } }));
    expect(() => Testing.synth(stack, true)).toThrow(/fabric\.railCni macvlan cannot carry InfiniBand/);
  });

  it("GIVEN fewer subnets than rails WHEN validated THEN the synth fails with both numbers", () => {
    const { stack } = fabricOf("staging", undefined, { railSubnets: ["10.0.0.0/16"] });
    expect(() => Testing.synth(stack, true)).toThrow(/railSubnets has 1 subnet\(s\) for 4 rails/);
  });
});
