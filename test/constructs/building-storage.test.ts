import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { BuildingStorage, type BuildingStorageProps } from "../../src/constructs/building-storage.js";
import { CampusInventory } from "../../src/constructs/campus-inventory.js";
import type { Environment } from "../../src/model/schema.js";
import { buildCampusPlan } from "../../src/plan/campus-plan.js";
import type { BuildingStoragePlan } from "../../src/plan/plan-types.js";
import { loadShipped } from "../fixtures/environments.js";
import { parseSynth, partial, resourcesOf, testStack } from "../fixtures/stacks.js";

function storageOf(
  change: (env: Environment) => Environment = (env) => env,
  extra: Partial<BuildingStorageProps> = {},
  changeStorage: (storage: BuildingStoragePlan) => BuildingStoragePlan = (s) => s,
) {
  const environment = change(loadShipped("staging").spec);
  const plan = buildCampusPlan(environment);
  const cluster = plan.clusters[0];
  const slice = cluster?.buildings[0];
  if (!cluster || !slice) throw new Error("staging has no building");
  const building = slice.building;
  const stack = testStack();
  const inventory = new CampusInventory(stack, "inventory", { environment: plan.environment, cluster });
  const storage = new BuildingStorage(stack, "storage", {
    building,
    storage: changeStorage(slice.storage),
    inventory,
    ...extra,
  });
  return { stack, storage, building };
}

describe("BuildingStorage", () => {
  it("GIVEN the environment's storage WHEN synthesized THEN local NVMe binds at first consumer and is deleted with its claim", () => {
    const synth = Testing.synth(storageOf().stack, true);
    expect(synth).toHaveResourceWithProperties(
      StorageClassV1,
      partial({
        metadata: { name: "local-nvme" },
        storage_provisioner: "local.csi.openebs.io",
        volume_binding_mode: "WaitForFirstConsumer",
        reclaim_policy: "Delete",
      }),
    );
  });

  it("GIVEN the shared filesystem WHEN synthesized THEN its class is Retain, expandable and limited to the building's nodes", () => {
    const synth = Testing.synth(storageOf().stack, true);
    for (const name of ["shared-fs", "checkpoint"]) {
      expect(synth).toHaveResourceWithProperties(
        StorageClassV1,
        partial({
          metadata: { name },
          storage_provisioner: "lustre.csi.aws.com",
          reclaim_policy: "Retain",
          allow_volume_expansion: true,
          allowed_topologies: { match_label_expressions: [{ key: "gpu-campus.io/building", values: ["stg"] }] },
        }),
      );
    }
  });

  it("GIVEN a cluster spanning buildings WHEN planned THEN every class name ends with the building id", () => {
    const kind = buildCampusPlan(loadShipped("kind").spec).clusters[0];
    expect(kind?.buildings.map((b) => b.storage.sharedFilesystem.name)).toEqual(["shared-fs-k1", "shared-fs-k2"]);
    const { stack } = storageOf(undefined, {}, (s) => ({
      ...s,
      localNvme: { ...s.localNvme, name: "local-nvme-stg" },
      sharedFilesystem: { ...s.sharedFilesystem, name: "shared-fs-stg" },
      checkpoint: { ...s.checkpoint, name: "checkpoint-stg" },
    }));
    const names = (
      resourcesOf(parseSynth(Testing.synth(stack, true)), "kubernetes_storage_class_v1") as {
        metadata: { name: string };
      }[]
    ).map((c) => c.metadata.name);
    expect(names.sort()).toEqual(["checkpoint-stg", "local-nvme-stg", "shared-fs-stg"]);
  });

  it("GIVEN a dataset and a checkpoint volume WHEN added THEN they are Retain-class claims protected from destroy, never awaited", () => {
    const { stack, storage } = storageOf();
    storage.datasetVolume({ tenantId: "team-a", namespace: "team-a", sizeTiB: 100 });
    storage.checkpointVolume({ tenantId: "team-a", namespace: "team-a", sizeTiB: 0.01 });
    const synth = Testing.synth(stack, true);
    expect(synth).toHaveResourceWithProperties(
      PersistentVolumeClaimV1,
      partial({
        metadata: { name: "dataset", namespace: "team-a" },
        spec: {
          access_modes: ["ReadWriteMany"],
          resources: { requests: { storage: "100Ti" } },
          storage_class_name: expect.stringMatching(/^\$\{kubernetes_storage_class_v1\.storage_shared-filesystem_/),
        },
        wait_until_bound: false,
        lifecycle: { prevent_destroy: true },
      }),
    );
    expect(synth).toHaveResourceWithProperties(
      PersistentVolumeClaimV1,
      partial({
        metadata: { name: "checkpoints" },
        spec: {
          resources: { requests: { storage: "10485Mi" } },
          storage_class_name: expect.stringMatching(/^\$\{kubernetes_storage_class_v1\.storage_checkpoint_/),
        },
        lifecycle: { prevent_destroy: true },
      }),
    );
  });

  it("GIVEN a building WHEN synthesized THEN its capacity and read bandwidth from the plan are in the inventory", () => {
    const { stack, building } = storageOf();
    const [inventory] = resourcesOf(parseSynth(Testing.synth(stack, true)), "kubernetes_config_map_v1") as {
      data: Record<string, string>;
    }[];
    expect(JSON.parse(inventory?.data["storage-stg.json"] ?? "{}")).toMatchObject({
      capacityTiB: building.storage.capacityTiB,
      readGBps: building.storage.readGBps,
      storageClasses: { localNvme: "local-nvme", shared: "shared-fs", checkpoint: "checkpoint" },
    });
  });

  it("GIVEN two classes with one name WHEN validated THEN the synth fails naming all three", () => {
    const { stack } = storageOf((env) => ({
      ...env,
      storage: { ...env.storage, checkpoint: { storageClass: "shared-fs" } },
    }));
    expect(() => Testing.synth(stack, true)).toThrow(
      /building stg: StorageClass names must differ.*checkpoint "shared-fs"/,
    );
  });

  it("GIVEN a zero-sized volume WHEN added THEN it fails naming the tenant", () => {
    const { storage } = storageOf();
    expect(() => storage.datasetVolume({ tenantId: "team-z", namespace: "team-z", sizeTiB: 0 })).toThrow(
      /tenant team-z: dataset volume size 0 TiB must be > 0/,
    );
  });
});
