import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Building } from "../../src/constructs/building.js";
import { CampusInventory } from "../../src/constructs/campus-inventory.js";
import { KueueScheduling } from "../../src/constructs/kueue-scheduling.js";
import { NvidiaDevicePlugin } from "../../src/constructs/nvidia-device-plugin.js";
import { RailNetworks } from "../../src/constructs/rail-networks.js";
import { buildCampusPlan } from "../../src/plan/campus-plan.js";
import { loadShipped } from "../fixtures/environments.js";
import { manifestsOf, parseSynth, resourceCount, resourcesOf, testStack } from "../fixtures/stacks.js";

function buildingOf(name: "staging" | "production", withDevicePlugin = true) {
  const environment = loadShipped(name).spec;
  const plan = buildCampusPlan(environment);
  const cluster = plan.clusters[0];
  const slice = cluster?.buildings[0];
  if (!cluster || !slice) throw new Error(`${name} has no building`);
  const stack = testStack(name);
  const inventory = new CampusInventory(stack, "inventory", { environment: plan.environment, cluster });
  const rails = new RailNetworks(stack, "fabric", { cluster, network: plan.railNetwork, multus: true });
  const kueue = new KueueScheduling(stack, "kueue");
  const devicePlugin = withDevicePlugin
    ? new NvidiaDevicePlugin(stack, "plugin", { kubernetesVersion: environment.clusters.kubernetesVersion })
    : undefined;
  const building = new Building(stack, "building", {
    slice,
    inventory,
    rails,
    kueue,
    ...(devicePlugin && { devicePlugin }),
  });
  return { stack, building, kueue };
}

describe("Building", () => {
  it("GIVEN a building's part of a cluster WHEN composed THEN it has a pool per pool slice, its storage and a ResourceFlavor per pool", () => {
    const { stack, building, kueue } = buildingOf("production");
    const json = parseSynth(Testing.synth(stack, true));
    expect(building.id).toBe("b1");
    expect(building.pools.map((p) => p.name)).toEqual(["b1-gb200"]);
    expect(resourcesOf(json, "kubernetes_daemon_set_v1")).toHaveLength(1);
    expect(resourcesOf(json, "kubernetes_storage_class_v1")).toHaveLength(3);
    expect(manifestsOf(json, "ResourceFlavor").map((f) => (f.metadata as { name: string }).name)).toEqual(["b1-gb200"]);
    expect(kueue.resourceFlavorNames).toEqual(["b1-gb200"]);
    const [inventory] = resourcesOf(json, "kubernetes_config_map_v1") as { data: Record<string, string> }[];
    expect(Object.keys(inventory?.data ?? {})).toEqual(
      expect.arrayContaining(["fabric-b1.json", "storage-b1.json", "capacity.json"]),
    );
  });

  it("GIVEN a building of 4,128 nodes WHEN composed THEN it is a handful of resources, not one per node", () => {
    const { stack, building } = buildingOf("production");
    expect(building.pools[0]?.nodes).toBeGreaterThan(4_000);
    expect(resourceCount(parseSynth(Testing.synth(stack, true)))).toBeLessThan(20);
  });

  it("GIVEN a physical building WHEN composed without a device plugin THEN validation fails for its pool", () => {
    const { stack } = buildingOf("staging", false);
    expect(() => Testing.synth(stack, true)).toThrow(/pool stg-gb200 .* needs props\.devicePlugin/);
  });
});
